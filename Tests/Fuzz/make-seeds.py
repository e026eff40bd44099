#!/usr/bin/env python3
"""Writes the structure-aware seed inputs of the `sheet`, `zip` and `oneroster` fuzz targets.

Each seed is a whole workbook or package cut into its parts, each part ended by a NUL byte (see
Sources/roster-fuzz/FuzzPackages.swift): the fuzzer mutates the parts, the harness zips them with
correct CRCs. Seeds taken from real workbooks (LibreOffice's and openpyxl's, in Tests/Fixtures) keep
their parts as those programs wrote them. Run from the repository's top folder:
    python3 Tests/Fuzz/make-seeds.py
"""
import os
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
NUL = b"\0"


def write(target, name, parts):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(NUL.join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts))


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(rows, extra=""):
    body = "".join(f'<row r="{r}">{cells}</row>' for r, cells in rows)
    return f'<worksheet {MAIN}>{extra}<sheetData>{body}</sheetData></worksheet>'


def strings(items):
    si = "".join(f"<si>{s}</si>" for s in items)
    return f'<sst {MAIN} count="{len(items)}" uniqueCount="{len(items)}">{si}</sst>'


def styles(formats, xfs):
    num = "".join(f'<numFmt numFmtId="{i}" formatCode="{c}"/>' for i, c in formats)
    xf = "".join(f'<xf numFmtId="{i}" applyNumberFormat="1"/>' for i in xfs)
    return (f'<styleSheet {MAIN}><numFmts count="{len(formats)}">{num}</numFmts>'
            f'<cellXfs count="{len(xfs)}">{xf}</cellXfs></styleSheet>')


# Shared strings, rich text and phonetic runs, number formats of every section kind, long formats.
formats = [
    (164, "00000"), (165, "[&lt;=9999999]###-####;(###) ###-####"), (166, '0;-0;0;"text: "@'),
    (167, "m/d/yyyy h:mm"), (168, "[h]:mm:ss.000"), (169, "# ??/??"), (170, "0.00E+00"),
    (171, "[$€-40C]#,##0.00"), (172, "0" * 300), (173, "%" * 40 + "0"), (174, "_(* #,##0_);_(* (#,##0)"),
]
xfs = [0, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 14, 49]
shared = [
    "<t>Name</t>", "<t>Code</t>", "<t>Role</t>", '<r><rPr><b/></rPr><t xml:space="preserve">Renée </t></r><r><t>Nguyễn</t></r>',
    "<t>Test Site Coordinator</t>", '<t>x</t><rPh sb="0" eb="1"><t>エックス</t></rPh>', "<t>00050000</t>", "<t>&amp;#0;</t>",
]
cells = "".join(f'<c r="{chr(65 + i)}2" s="{i + 1}"><v>{v}</v></c>' for i, v in enumerate(
    ["50000", "5551234567", "-7.5", "45899.25", "1.5", "3.25", "12345.678", "9.075", "1", "0.5", "-1234"]))
write("sheet", "shared-styles", [
    sheet([(1, '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'),
           (2, cells), (3, '<c r="A3" t="s"><v>3</v></c><c r="B3" t="s"><v>6</v></c><c r="C3" t="s"><v>4</v></c>'),
           (4, '<c r="A4" t="s"><v>5</v></c><c r="B4" t="s"><v>7</v></c><c r="C4" s="13"><v>45000</v></c>')]),
    strings(shared), styles(formats, xfs), "", "[<=9999999]###-####;(###) ###-####"])
# One shared string shown by many cells; rows out of order; a cell written twice; hidden column ranges.
many = "".join(f'<c r="{chr(65 + i)}2" t="s"><v>0</v></c>' for i in range(26))
write("sheet", "amplification", [
    sheet([(3, '<c r="A3"><v>3</v></c>'), (2, many), (7, '<c r="A7"><v>1</v></c><c r="C7" s="1"><v>2</v></c>')],
          extra='<cols><col min="1" max="16384" hidden="1"/><col min="2" max="3" hidden="1"/></cols>'),
    strings(["<t>" + "long " * 200 + "</t>"]), styles([(164, "0" * 1100)], [0, 164]), "", "#,##0.00_);[Red](#,##0.00)"])
write("sheet", "cell-twice", [sheet([(1, '<c r="A1"><v>1</v></c><c r="A1"><v>2</v></c>')]), "", "", "", "0"])
# A workbook part of its own: two sheets, one hidden, the 1904 date system.
write("sheet", "workbook-part", [
    sheet([(1, '<c r="A1" t="inlineStr"><is><t>When</t></is></c>'), (2, '<c r="A2" s="1"><v>0</v></c>'),
           (3, '<c r="A3" t="d"><v>2025-08-30T00:00:00</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" t="e"><v>#N/A</v></c>')]),
    strings([]), styles([], [0, 14]),
    f'<workbook {MAIN} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<workbookPr date1904="1"/><sheets><sheet name="Hidden" sheetId="2" state="hidden" r:id="rId9"/>'
    '<sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>', "yyyy-mm-dd;@"])
# Parts of workbooks LibreOffice and openpyxl wrote.
for name in ["libreoffice-cells.xlsx", "openpyxl-cells.xlsx"]:
    path = os.path.join(ROOT, "..", "..", "Fixtures", "workbooks", name)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        part = lambda n: z.read(n) if n in names else b""
        largest = max((n for n in names if n.startswith("xl/worksheets/sheet")), key=lambda n: z.getinfo(n).file_size)
        write("sheet", name.replace(".xlsx", "-parts"), [
            part(largest), part("xl/sharedStrings.xml"), part("xl/styles.xml"), "", "0.00%"])
        # The zip target: every entry by name, as the program wrote it.
        write("zip", name.replace(".xlsx", "-entries"), [n.encode() + b"\n" + z.read(n) for n in names])

# Zip entries that make a OneRoster package, one in a folder, and two packages side by side.
users = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
         "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
         "t1,active,2025-08-01,true,s1,teacher,ann@d.org,,Ann,Lee,,E100,ann@d.org,,,,,\n"
         "t2,tobedeleted,2025-08-01,false,\"s1,s2\",administrator,bo@d.org,,Bo,Ng,,E101,bo@d.org,,,,,Secret#1\n")
orgs = ("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
        "d1,active,,District,district,0161234,\ns1,active,,North,school,0161234000001,d1\n"
        "s2,active,,South,school,0161234000002,d1\n")
manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,bulk\nfile.orgs,delta\n"
write("zip", "oneroster-entries", [b"manifest.csv\n" + manifest.encode(), b"users.csv\n" + users.encode(), b"orgs.csv\n" + orgs.encode()])
write("zip", "two-packages", [b"old/users.csv\n" + users.encode(), b"new/users.csv\n" + users.encode(), b"new/orgs.csv\n" + orgs.encode()])

# OneRoster packages: parts are manifest, users, orgs, roles, demographics (FuzzPackages.oneRosterFiles).
users12 = ("sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,"
           "preferredFirstName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,"
           "metadata.district.jobCode\n"
           "t1,active,,true,ann@d.org,{LDAP:ann},Ann,Lee,,,E100,ann@d.org,,,,,,M1,TCH\n"
           "t2,active,,true,bo@d.org,,Bo,Ng,,,E101,bo@d.org,,,,,,M2,ADM\n")
roles = ("sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n"
         "r1,active,,t1,primary,teacher,2025-08-01,,s1,\nr2,active,,t2,primary,administrator,,,s2,\n"
         "r3,tobedeleted,,t2,secondary,teacher,,,s1,\nr4,active,,t9,primary,teacher,,,s404,\n")
manifest12 = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.users,bulk\nfile.roles,bulk\nfile.orgs,bulk\n"
write("oneroster", "v11", [manifest, users, orgs, "", ""])
write("oneroster", "v12-roles", [manifest12, users12, orgs, roles, ""])
write("oneroster", "no-manifest-unknown-orgs", ["", users.replace("s1", "s404"), "", "", ""])
write("oneroster", "delta-true-false", [manifest.replace("bulk", "delta"), users.replace("true", "TRUE").replace("false", "FALSE"), orgs, "", ""])
