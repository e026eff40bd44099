#!/usr/bin/env python3
"""Makes this recipe's sample inputs: the HR workbook (as an HR system writes one, with openpyxl) and
the SIS's OneRoster package (a zip of its CSV files). Run from this folder: python3 make_data.py"""
import io, zipfile
import openpyxl

wb = openpyxl.Workbook()
lists = wb.active
lists.title = "Lists"
lists.append(["Job Title"])
for t in ["Teacher", "Principal", "Test Coordinator", "District Test Coordinator", "Counselor"]:
    lists.append([t])
lists.sheet_state = "hidden"
ws = wb.create_sheet("Staff")
ws.append(["Employee ID", "First", "Last", "E-mail", "Job Title", "Start date"])
rows = [
    (1001, "Ann", "Lee", "ann.lee@lincoln.k12.ma.us", "Teacher", 45870),
    (1002, "Bo", "Cho", "bo.cho@lincoln.k12.ma.us", "Principal", 45870),
    (1004, "Dee", "Evans", "dee.evans@lincoln.k12.ma.us", "District Test Coordinator", 45870),
    (1010, "Kim", "Lu", "kim.lu@lincoln.k12.ma.us", "Teacher", 45901),
    (1011, "Max", "Ng", "max.ng@lincoln.k12.ma.us", "Counselor", 45901),
]
for r in rows:
    ws.append(list(r))
for row in range(2, len(rows) + 2):
    ws[f"A{row}"].number_format = "000000"  # HR writes ids zero-padded
    ws[f"F{row}"].number_format = "m/d/yyyy"
wb.save("hr-staff-2026.xlsx")

manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,bulk\nfile.orgs,bulk\n"
orgs = ("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
        "org-district,,,Lincoln Public Schools,district,00050000,\n"
        "org-hs,,,Lincoln High School,school,00055555,org-district\n"
        "org-ms,,,Lincoln Middle School,school,00055556,org-district\n")
users = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
         "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
         "t-001,,,true,\"org-hs,org-ms\",teacher,alee,,Ann,Lee,,001001,ann.lee@lincoln.k12.ma.us,,617-555-0101,,,\n"
         "t-002,,,true,org-hs,administrator,bcho,,Bo,Cho,,001002,bo.cho@lincoln.k12.ma.us,,,,,\n"
         "t-003,,,true,org-district,administrator,devans,,Dee,Evans,,001004,dee.evans@lincoln.k12.ma.us,,,,,\n"
         "t-004,,,true,org-ms,teacher,klu,,Kim,Lu,,001010,kim.lu@lincoln.k12.ma.us,,,,,\n"
         "t-005,,,true,org-ms,aide,mng,,Max,Ng,,001011,max.ng@lincoln.k12.ma.us,,,,,\n"
         "t-006,,,false,org-hs,teacher,pold,,Pia,Old,,000999,pia.old@lincoln.k12.ma.us,,,,,\n"
         "s-101,,,true,org-hs,student,s101,,Sam,Young,,S101,s101@students.lincoln.k12.ma.us,,,,10,\n")
with zipfile.ZipFile("oneroster.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in [("manifest.csv", manifest), ("users.csv", users), ("orgs.csv", orgs)]:
        info = zipfile.ZipInfo(name, date_time=(2026, 8, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text)
