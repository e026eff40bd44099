import RosterDiagnostics
import RosterData

/// A value bound with `let` or `param`, or computed by an expression outside a table.
public enum Value: Sendable {
    case text(String)
    case number(Double)
    case bool(Bool)
    case list([Value])
    /// A column of a table used as a list (`hr.email`), kept in column form so membership is fast.
    case column(TextColumn)
    case map(ValueMap)

    public var typeName: String {
        switch self {
        case .text: "text"
        case .number: "number"
        case .bool: "true/false"
        case .list, .column: "list"
        case .map: "map"
        }
    }

    /// The value as text, as it would be written into a cell.
    public var asText: String? {
        switch self {
        case .text(let s): s
        case .number(let d): Value.format(d)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// How `print` shows a value.
    public var display: String {
        switch self {
        case .text(let s): s
        case .number(let d): Value.format(d)
        case .bool(let b): b ? "true" : "false"
        case .list(let items): "[" + items.map { $0.quotedDisplay }.joined(separator: ", ") + "]"
        case .column(let c): "[" + c.strings.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ") + (c.count > 20 ? ", … (\(c.count) items)" : "") + "]"
        case .map(let m): "{" + m.keys.map { "\"\($0)\": \(m[$0]!.quotedDisplay)" }.joined(separator: ", ") + "}"
        }
    }

    var quotedDisplay: String {
        if case .text(let s) = self { return "\"\(s)\"" }
        return display
    }

    /// Numbers are written without a trailing `.0` when whole: `3`, `3.5`, `-2`.
    public static func format(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Strict decimal reading of text: optional sign, digits, optional fraction. `00050000` reads as 50000.
    public static func parseNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = bytes.count
        if n == 0 { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { negative = bytes[0] == UInt8(ascii: "-"); i = 1 }
        var intPart: Double = 0
        var digits = 0
        while i < n, bytes[i] >= 0x30, bytes[i] <= 0x39 { intPart = intPart * 10 + Double(bytes[i] - 0x30); i += 1; digits += 1 }
        var frac: Double = 0
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            while i < n, bytes[i] >= 0x30, bytes[i] <= 0x39 { frac += Double(bytes[i] - 0x30) * scale; scale /= 10; i += 1; digits += 1 }
        }
        if i != n || digits == 0 { return nil }
        if digits > 15 {
            // Long digit strings: let the standard library round correctly.
            return Double(String(decoding: bytes, as: UTF8.self))
        }
        let v = intPart + frac
        return negative ? -v : v
    }

    public static func parseNumber(_ s: String) -> Double? {
        var s = s
        return s.withUTF8 { parseNumber($0) }
    }

    /// Compares two decimal numbers written as text exactly, whatever their length (Doubles hold only
    /// 15 or so digits: `12345678901234567890` and `…891` would be equal): -1, 0 or 1, or nil when
    /// either is not a plain decimal (sign, digits, optional fraction). `00050000` equals `50000`.
    public static func compareDecimal(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let a = Decimal(x), let b = Decimal(y) else { return nil }
        if a.isZero && b.isZero { return 0 }
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        let magnitude = a.compareMagnitude(b)
        return a.negative ? -magnitude : magnitude
    }

    public static func compareDecimal(_ x: String, _ y: String) -> Int? {
        var x = x, y = y
        return x.withUTF8 { xp in y.withUTF8 { yp in compareDecimal(xp, yp) } }
    }

    /// A decimal's parts as byte ranges: integer digits without leading zeros, fraction digits
    /// without trailing zeros.
    struct Decimal {
        let b: UnsafeBufferPointer<UInt8>
        var negative = false
        var integer: Range<Int>
        var fraction: Range<Int>

        init?(_ b: UnsafeBufferPointer<UInt8>) {
            self.b = b
            var i = 0
            let n = b.count
            guard n > 0 else { return nil }
            if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
                negative = b[0] == UInt8(ascii: "-")
                i = 1
            }
            let intStart = i
            while i < n, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            var intEnd = i
            var fracStart = i, fracEnd = i
            if i < n, b[i] == UInt8(ascii: ".") {
                i += 1
                fracStart = i
                while i < n, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                fracEnd = i
            }
            guard i == n, intEnd > intStart || fracEnd > fracStart else { return nil }
            var s = intStart
            while s < intEnd, b[s] == 0x30 { s += 1 }
            while fracEnd > fracStart, b[fracEnd - 1] == 0x30 { fracEnd -= 1 }
            if s == intEnd { intEnd = s }
            integer = s..<intEnd
            fraction = fracStart..<fracEnd
        }

        var isZero: Bool { integer.isEmpty && fraction.isEmpty }

        func compareMagnitude(_ o: Decimal) -> Int {
            if integer.count != o.integer.count { return integer.count < o.integer.count ? -1 : 1 }
            for k in 0..<integer.count where b[integer.lowerBound + k] != o.b[o.integer.lowerBound + k] {
                return b[integer.lowerBound + k] < o.b[o.integer.lowerBound + k] ? -1 : 1
            }
            let m = max(fraction.count, o.fraction.count)
            for k in 0..<m {
                let x = k < fraction.count ? b[fraction.lowerBound + k] : 0x30
                let y = k < o.fraction.count ? o.b[o.fraction.lowerBound + k] : 0x30
                if x != y { return x < y ? -1 : 1 }
            }
            return 0
        }
    }
}

/// A map keeping its keys in the order written.
public struct ValueMap: Sendable {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]
    public init() {}
    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if storage[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            storage[key] = newValue
        }
    }
    public var count: Int { keys.count }
}
