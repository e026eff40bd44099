/// NWEA MAP Growth roster template, the Additional Users sheet (`map_users`).
/// Written from the vendor's public guides: each `source` line names a document, the `# source:`
/// comment above each rule the section it comes from, and `not modelled` what the sources state that
/// the format does not check, and why. Where the guides give no message, the messages are roster's
/// words, and the `messages` line says so.
enum NWEAMAP {
    static let source = #"""
        format map_users "NWEA MAP Growth roster template — Additional Users sheet (saved as CSV)"
          source "NWEA MAP Help Center, 'Add Staff and Roles in Roster Import' (MAP and CAP help; no date shown), 'Complete Additional Users Template'"
          source "NWEA CAP Help, 'Prepare Your Roster' (no date shown), 'About the Roster Templates', 'Saving Roster as CSV Format'"
          source "NWEA MAP Help Center, 'Import Errors Guidance' (no date shown), 'Preview Errors', 'File Format Errors'"
          source "NWEA MAP Help Center, 'Roster Upload Overview' (no date shown), 'Coordinate so that names match'"
          source "NWEA Community DOC-3137, 'Leaving the School Name field blank in Additional Users roster template' (Aug 29, 2019)"
          source "NWEA MAP Help Center, 'Choose MAP Roles' (no date shown), Quick tip; NWEA CAP Help, 'Creating a User Profile'"
          source "The column headers and their order are not in NWEA's text (its page shows them in a screenshot and says the roles begin at column J): taken from public scripts that write this sheet"
          not modelled "which columns are required ('the required, blue-shaded columns'): named only in a screenshot; only Instructor ID (with Match on ID) is required here"
          not modelled "the pairs NWEA checks with 'ZZZ must be the same for this XXX': not listed; User Name and Instructor ID are checked both ways"
          not modelled "one person holding school- and district-level roles in different rows: the advice is checked within a row only"
          not modelled "the template's description rows and shaded header: load the sheet with load … sheet='Additional Users' after deleting the description rows, or save it as CSV"
          not modelled "removing a role: NWEA says roles stay until changed in MAP; the file only adds them"
          not modelled "the import queue (up to 48 hours at peak times) and one import at a time per district: said in the guide line"
          # source: CODE (third-party scripts; header spelling and order); N-AU step 4 ("Beginning with column J, complete the roles")
          columns "School State Code", "School Name", "Instructor ID", "Instructor State ID", "Last Name", "First Name", "Middle Name", "User Name", "Email Address", "Role = School Proctor?", "Role = School Assessment Coordinator?", "Role = Administrator?", "Role = District Proctor?", "Role = Data Administrator?", "Role = District Assessment Coordinator?", "Role = Interventionist?", "Role = SN Administrator?"
          # source: N-PREP, Saving Roster as CSV Format ("you need to save it as the comma-separated (CSV) format before you continue with the roster import")
          file extension ".csv" message "roster's words: save the Additional Users sheet as a CSV (comma delimited) file before importing (NWEA, Prepare Your Roster)"
          # source: N-ERR, Preview Errors, "Wrong CSV (comma delimited) file format" ("If operating outside the USA: … so your CSV file uses commas to separate information instead of semicolons")
          file delimiter "," message "roster's words: NWEA's roster import reads comma-separated files; save with commas, not semicolons (NWEA, Import Errors Guidance)"
          # source: N-PREP, Saving Roster as CSV Format ("If you are using Excel, avoid saving your CSV file(s) as a format variation like CSV UTF-8") — no byte-order mark is roster's reading of that advice, not NWEA's words
          bom false
          messages "NWEA's words for 'Field cannot be empty' and the pattern 'XXX cannot be the same for more than one YYY' (Import Errors Guidance; column names filled in by roster); roster's words for every other message"
          guide "Import with the Add/Update Additional Users import type (How to import rosters). Roles, once assigned, stay until you change them; the file need not be imported every term. School names must be an exact match to the custom names in your MAP preferences. During peak testing times imports are queued up to 48 hours; you may break the file into smaller batches (Roster Upload Overview)."
          meaning "School Name" = organization, "Last Name" = last_name, "First Name" = first_name, "Middle Name" = middle_name, "User Name" = username, "Email Address" = email, "Instructor ID" = id
          meaning "Role = School Proctor?" = role_school_proctor, "Role = School Assessment Coordinator?" = role_school_assessment_coordinator, "Role = Administrator?" = role_administrator
          meaning "Role = District Proctor?" = role_district_proctor, "Role = Data Administrator?" = role_data_administrator, "Role = District Assessment Coordinator?" = role_district_assessment_coordinator
          meaning "Role = Interventionist?" = role_interventionist, "Role = SN Administrator?" = role_sn_administrator
          # source: none of the NWEA pages read names the match key for Additional Users; roster's choice: User Name (N-OVR: staff e-mail addresses are the best practice for both user name and e-mail)
          key "User Name"
          # source: N-AU Note ("If your organization uses Match on ID for your import process, the Instructor ID field is required in the Additional Users sheet."); NWEA Help, Clever "Considerations", Match on ID ("unique IDs that remain with them indefinitely")
          stable id "Instructor ID" advice "With Match on ID, an instructor's ID must stay with them and never be reassigned (NWEA, Match on ID)"
          # source: N-AU introduction ("Once they have roles assigned, they will keep those roles, unless you make changes.")
          missing users are untouched message "roster's words: users and roles not in the file keep what MAP has (NWEA: 'they will keep those roles, unless you make changes')"
          # source: N-AU Note (Instructor ID required with Match on ID); N-ERR, File Format Errors ("Field cannot be empty") — checked only when given: with match_on_id = true
          rule "Instructor ID" required when match_on_id message "Field cannot be empty"
          # source: N-ERR, File Format Errors ("XXX cannot be the same for more than one YYY": "Two different people in your roster file mistakenly share an ID, user name, or similar data")
          agree "Instructor ID" per "User Name" message "User Name cannot be the same for more than one Instructor ID"
          # source: N-ERR, File Format Errors (same pattern and explanation)
          agree "User Name" per "Instructor ID" message "Instructor ID cannot be the same for more than one User Name"
          # source: N-OVR, Coordinate so that names match ("the custom names defined in your MAP preferences (school …) are an exact match to the names in your roster import file") — give with schools = a table of your MAP school names in a column "School Name"
          known "School Name" in schools.`School Name` when not isblank(`School Name`) message "roster's words: School Name must match a school name in your MAP preferences exactly"
          # source: N-3137 ("If you are assigning a school-specific role … and you leave the School Name field blank, that user will be assigned that role for all schools at your organization."); N-AU step 4 ("Also complete the School Name column when you assign roles to school staff")
          danger when isblank(`School Name`) and (`Role = School Proctor?` == "Y" or `Role = School Assessment Coordinator?` == "Y" or `Role = Administrator?` == "Y" or `Role = SN Administrator?` == "Y") message "roster's words: a school role with a blank School Name is given for ALL schools in your organization (NWEA community DOC-3137); fill in School Name"
          # source: N-PROF ("User profiles require at least one role."); N-AU step 4 (roles are assigned by "Y" in columns J onward) — a danger (withheld for a person), since NWEA does not say what the import does with a row that assigns none
          danger when not (`Role = School Proctor?` == "Y" or `Role = School Assessment Coordinator?` == "Y" or `Role = Administrator?` == "Y" or `Role = District Proctor?` == "Y" or `Role = Data Administrator?` == "Y" or `Role = District Assessment Coordinator?` == "Y" or `Role = Interventionist?` == "Y" or `Role = SN Administrator?` == "Y") message "roster's words: this row assigns no role (no 'Y' in columns J–Q); MAP user profiles require at least one role"
          # source: N-ROLES, Quick tip ("avoid assigning both school-level and district-level roles to an individual. For example, your School Proctors should not have the District Proctor role.") — checked within a row only
          warn (`Role = School Proctor?` == "Y" or `Role = School Assessment Coordinator?` == "Y") and (`Role = District Proctor?` == "Y" or `Role = District Assessment Coordinator?` == "Y") message "roster's words: NWEA advises against giving one person both school-level and district-level roles (e.g. School Proctor and District Proctor)"
          # source: N-AU step 4 ("complete the roles you want to assign by typing “Y” in the appropriate column or columns") — only "Y" is documented; other values are warned, not rejected
          warn not isblank(`Role = School Proctor?`) and `Role = School Proctor?` != "Y" message "roster's words: Role = School Proctor? — NWEA documents only 'Y' (assign) or blank"
          # source: N-AU step 4 (typing “Y”)
          warn not isblank(`Role = School Assessment Coordinator?`) and `Role = School Assessment Coordinator?` != "Y" message "roster's words: Role = School Assessment Coordinator? — NWEA documents only 'Y' (assign) or blank"
          # source: N-AU step 4 (typing “Y”)
          warn not isblank(`Role = Administrator?`) and `Role = Administrator?` != "Y" message "roster's words: Role = Administrator? — NWEA documents only 'Y' (assign) or blank"
          # source: N-AU step 4 (typing “Y”)
          warn not isblank(`Role = District Proctor?`) and `Role = District Proctor?` != "Y" message "roster's words: Role = District Proctor? — NWEA documents only 'Y' (assign) or blank"
          # source: N-AU step 4 (typing “Y”)
          warn not isblank(`Role = Data Administrator?`) and `Role = Data Administrator?` != "Y" message "roster's words: Role = Data Administrator? — NWEA documents only 'Y' (assign) or blank"
          # source: N-AU step 4 (typing “Y”)
          warn not isblank(`Role = District Assessment Coordinator?`) and `Role = District Assessment Coordinator?` != "Y" message "roster's words: Role = District Assessment Coordinator? — NWEA documents only 'Y' (assign) or blank"
          # source: N-AU step 4 (typing “Y”)
          warn not isblank(`Role = Interventionist?`) and `Role = Interventionist?` != "Y" message "roster's words: Role = Interventionist? — NWEA documents only 'Y' (assign) or blank"
          # source: N-AU step 4 (typing “Y”)
          warn not isblank(`Role = SN Administrator?`) and `Role = SN Administrator?` != "Y" message "roster's words: Role = SN Administrator? — NWEA documents only 'Y' (assign) or blank"
        end
        """#
}
