/// A non-negative number as the decimal digits Excel works with: its shortest exact decimal form,
/// rounded to 15 significant digits first (Excel keeps 15), then rounded half away from zero at the
/// place a format shows — on the decimal digits, not the binary value, so `9.075` shows as `9.08`
/// and `1.005` as `1.01`, as in Excel. The value is 0.d₁d₂d₃… × 10^point.
struct DecimalDigits: Equatable {
    /// The significant digits as ASCII, without leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    var point: Int

    init(digits: [UInt8], point: Int) {
        self.digits = digits
        self.point = point
        trim()
    }

    /// `value` (finite, at least 0) to 15 significant digits.
    init(_ value: Double) {
        digits = []
        point = 0
        guard value > 0, value.isFinite else { return }
        // Swift writes the shortest text that reads back as the same Double: 9.075, 1e-05, 1.5e+20.
        let text = Array("\(value)".utf8)
        var exponent = 0
        var seenPoint = false
        var beforePoint = 0
        var k = 0
        while k < text.count {
            let c = text[k]
            if c == UInt8(ascii: ".") {
                seenPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                exponent = Int(String(decoding: text[(k + 1)...], as: UTF8.self)) ?? 0
                break
            } else if c >= 0x30 && c <= 0x39 {
                if digits.isEmpty && c == 0x30 {
                    if seenPoint { beforePoint -= 1 }  // a leading zero after the point moves the point
                } else {
                    digits.append(c)
                    if !seenPoint { beforePoint += 1 }
                }
            }
            k += 1
        }
        point = beforePoint + exponent
        trim()
        round(keeping: 15)
    }

    var isZero: Bool { digits.isEmpty }

    mutating func trim() {
        while digits.last == 0x30 { digits.removeLast() }
        if digits.isEmpty { point = 0 }
    }

    /// Keeps the first `count` significant digits, half away from zero (a carry may add a digit).
    mutating func round(keeping count: Int) {
        guard digits.count > count else { return }
        guard count >= 0 else {
            digits = []
            point = 0
            return
        }
        let up = digits[count] >= UInt8(ascii: "5")
        digits.removeSubrange(count...)
        if up {
            var k = digits.count - 1
            while k >= 0 {
                if digits[k] == UInt8(ascii: "9") {
                    digits[k] = UInt8(ascii: "0")
                    k -= 1
                } else {
                    digits[k] += 1
                    break
                }
            }
            if k < 0 {
                digits.insert(UInt8(ascii: "1"), at: 0)
                point += 1
            }
        }
        trim()
    }

    /// Rounded to `decimals` places after the point.
    func rounded(decimals: Int) -> DecimalDigits {
        var copy = self
        copy.round(keeping: point + decimals)
        return copy
    }

    /// The digits before the point (empty for a value below 1).
    var integerDigits: [UInt8] {
        guard point > 0 else { return [] }
        var out = Array(digits.prefix(point))
        if out.count < point { out += [UInt8](repeating: UInt8(ascii: "0"), count: point - out.count) }
        return out
    }

    /// The first `count` digits after the point, zeros where there are none.
    func fractionDigits(_ count: Int) -> [UInt8] {
        (0..<max(0, count)).map { i in
            let k = point + i
            return k >= 0 && k < digits.count ? digits[k] : UInt8(ascii: "0")
        }
    }

    /// Multiplied by 10^n (a percent sign is n = 2), exactly.
    func shifted(_ n: Int) -> DecimalDigits { isZero ? self : DecimalDigits(digits: digits, point: point + n) }
}
