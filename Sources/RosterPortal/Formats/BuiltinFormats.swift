import RosterDiagnostics
import RosterData
import RosterLanguage

/// The portal formats roster knows, written in the `format … end` syntax a district can use for its
/// own portal (facts and decisions from FORMATS.md; messages are the portal's own where it words them).
/// Upload files are written UTF-8 without BOM, with CRLF line endings, as Windows tools expect.
enum BuiltinFormats {
    static let source = #"""
        format csv "plain CSV: no rules, keeps whatever columns the file has"
        end

        format toms "CAASPP TOMS user batch upload (one row per user and organization)"
          columns "First name", "Last name", "CDS code", "E-mail address", "Telephone number", "Role in organization"
          header in order
          messages "roster's words: the TOMS guide says a wrong value will generate an error, and gives no messages"
          file extension ".csv" message "upload the users file as a .csv file (roster's words; the guide: save it as a .csv file when you are finished editing, then upload the .csv file into TOMS)"
          meaning "First name" = first_name, "Last name" = last_name, "CDS code" = organization
          meaning "E-mail address" = email, "Telephone number" = phone, "Role in organization" = role
          one row per user and organization
          crosswalk role from oneroster {"administrator": "Test Site Coordinator", "teacher": "Test Administrator", "proctor": "Test Administrator"}
          key "E-mail address", "CDS code" ignoring case
          existing users are activated
          missing users are untouched message "not in the file: stays inactive (TOMS activates only the users uploaded)"
          rule "First name" required message "First name is required"
          rule "Last name" required message "Last name is required"
          rule "CDS code" required message "CDS code is required"
          rule "CDS code" pattern "\d{14}" message "CDS code must be 14 digits"
          rule "E-mail address" required message "E-mail address is required"
          rule "E-mail address" pattern "[^@\s]+@[^@\s]+\.[^@\s]+" message "E-mail address is not a valid e-mail address"
          rule "Role in organization" required message "Role in organization is required"
          rule "Role in organization" one of ["Test Site Coordinator", "Test Administrator", "Test Examiner",
              "Test Administrator & Test Examiner", "IA Administrator Only", "Educator - District",
              "Educator – Test Site", "Educator – Roster"] message "Role in organization must match one of the TOMS roles exactly"
          unique "E-mail address", "CDS code" ignoring case warn "the same user twice at one CDS code (the guide gives one row per user and organization, and does not say what TOMS does with a second)"
          combine role "Test Administrator" + "Test Examiner" = "Test Administrator & Test Examiner"
          known "CDS code" in submitter with children "0000000" message "not an organization of the person submitting the file (TOMS: a test site coordinator may add users only for their own site)"
        end

        format mcas "Massachusetts MCAS Portal: Import Users (200 records a file)"
          columns Username, Fname, Lname, Email, Role, Org, Program, Phone, Fax, Address
          rows per file 200
          file extension ".csv" message "The uploaded file is not in the expected .CSV format. Please update the file and try again."
          file delimiter "," message "the guide: save the file as .CSV (Comma delimited)"
          meaning Username = email, Fname = first_name, Lname = last_name, Email = email, Role = role
          meaning Org = organization each "|", Program = program, Phone = phone, Fax = fax, Address = address
          one role per user, highest first "DTC", "STC", "TC", "TA", "RAO"
          crosswalk role from oneroster {"administrator": "STC", "teacher": "TA", "proctor": "TA"}
          key Username ignoring case
          separate uploads "Add New Users" = create, "Update Existing Users" = update
          compare Program blank as "both programs"
          missing users are untouched message "not in the file: MCAS leaves the user as it is" warn "MCAS cannot deactivate or reactivate users by file: if these people have left, deactivate each one by hand in the MCAS Portal's user management screen"
          totals "Total number of records present in the uploaded file" = total, "Number of Records Rejected" = rejected,
              "Number of Records Processed" = processed, "Number of Users Created" = created, "Number of Users Updated" = updated
          popup success "The uploaded file has been processed and {successCount} user(s) have been successfully uploaded."
              partial "The uploaded file has been processed with errors, but {successCount} user(s) have been successfully uploaded. Errors are detailed in attached file."
              failure "No users have been uploaded. Errors are detailed in attached file."
          notice when not isblank(Email) and lower(Username) != lower(Email) message "usernames that are not the user's e-mail address (the guide: the username should be the user's email address)"
          rule Username required, length 4 to 50, pattern "[A-Za-z0-9@._+-]+" message "Username must be 4-50 alpha-numeric characters"
          rule Username unique ignoring case message "User exists with same username" for existing users message "the same username twice in one Update Existing Users file (roster's words: the guide gives no message for this)"
          exists Username in deactivated.Username ignoring case message "User exists with same username"
          danger Username in deactivated.Username ignoring case message "returning users whose MCAS account was deactivated: the username cannot be reused and file uploads cannot reactivate; reactivate each one by hand (Users, Show Deactivated Accounts, Reactivate), then send the row in an Update Existing Users file"
          notice when Org ~ "\|" for missing users message "users of several organizations: deactivating one by hand needs someone with access to all of its organizations, such as a district test coordinator (the guide, section C)"
          portal note "User exists with same username" advice "Modify the username (the guide's Table 6); if the portal already has this person, send the row in an Update Existing Users file instead"
          resolve "User exists with same username" advice "Modify the username."
          resolve "Username must be 4-50 alpha-numeric characters" advice "Modify the username to contain at least 4 characters, not more than 50 characters, and include a mix of letters and numbers in the username."
          resolve "First name must be 1-25 characters long" advice "Modify the first name to contain at least 1 character and not more than 25 characters."
          resolve "Last names must be 2-25 characters long" advice "Modify the last name to contain at least 2 characters and not more than 25 characters."
          resolve "Invalid role" advice "Add a valid role abbreviation."
          resolve "Invalid organization and role pairing" advice "If the user is a STC, verify that the district number and school number are provided in the Org field."
          resolve "Invalid organization number" advice "Verify the organization number is correct. If you are creating a DTC or TC that covers the district, verify the district number is correct."
          resolve "Invalid/Not allowed program ID" advice "Update the program ID to be a valid number. See the table above for valid program codes."
          guide "new MCAS Portal users are sent two separate emails, with their username and their password, at the address in Email (the guide, section D)"
          rule Fname required, length 1 to 25 message "First name must be 1-25 characters long"
          rule Lname required, length 2 to 25 message "Last names must be 2-25 characters long"
          rule Email required, pattern "[^@\s]+@[^@\s]+\.[^@\s]+" message "Email must be a standard e-mail address (roster's words: the guide gives no message for this)"
          rule Role required, one of ["DTC", "TC", "STC", "TA", "RAO"] message "Invalid role"
          rule Org required, each "|" pattern "\d{8}(-\d{8})?" message "Invalid organization number"
          known Org each "|" in orgs.Org message "Invalid organization number"
          check (Role == "STC" or Role == "TA") and Org ~ "(^|\|)\d{8}(\||$)" message "Invalid organization and role pairing"
          check Role == "DTC" and Org ~ "\d{8}-\d{8}" message "Invalid organization and role pairing"
          rule Program one of ["1030", "1034"] message "Invalid/Not allowed program ID"
          rule Phone pattern "\d{3}-\d{3}-\d{4}" message "Phone must be in xxx-xxx-xxxx format (roster's words: the guide gives no message for this)"
          rule Fax pattern "\d{3}-\d{3}-\d{4}" message "Fax must be in xxx-xxx-xxxx format (roster's words: the guide gives no message for this)"
          rule Address length 0 to 200 message "Address must be at most 200 characters (roster's words: the guide gives no message for this)"
        end

        format pass "Securly Pass user CSV (a full master file: users missing from it are archived)"
          columns firstname, lastname, email, role, gradyear, status, idnumber
          header ignores case
          messages "roster's words: the Pass guide gives no messages"
          meaning firstname = first_name, lastname = last_name, email = email, role = role, status = active, idnumber = id
          one role per user, highest first "admin", "teacher", "staff", "student"
          crosswalk role from oneroster {"administrator": "admin", "teacher": "teacher", "aide": "staff", "proctor": "staff", "student": "student"}
          crosswalk active from oneroster {"true": "Active"}
          crosswalk active from pan {"No": "Active"}
          default status = "Active"
          key email ignoring case
          stable id idnumber advice "e-mail changes: the guide says to change a user's e-mail in Pass first, then in the master file (with idnumber the user and its history are kept)"
          compare role ignoring case blank as "student"
          compare status ignoring case treating "1" as "Active"
          danger unique idnumber message "rows that share an idnumber (it identifies one user; the guide does not say which row Pass keeps)"
          danger email in synced.email ignoring case message "users synced from Securly Sync, ClassLink or Clever are in the file (the guide: upload only users who are NOT included in the sync)"
          missing users are archived message "not in the file: Pass archives users missing from a full upload" warn "Pass archives every user missing from the file (full sync); add them back to the master file if they should stay"
          rule firstname required message "firstname is required"
          rule lastname required message "lastname is required"
          rule email required message "email is required (Pass skips a row with a blank email)"
          rule email pattern "[^@\s]+@[^@\s]+\.[^@\s]+" message "email is not a valid e-mail address"
          unique email ignoring case warn "the same email twice in the file (the guide does not say which row Pass keeps)"
          known email after "@" in domains ignoring case message "email's domain is not one of the school's domains"
          rule role one of ["admin", "teacher", "staff", "student"] ignoring case message "role must be admin, teacher, staff or student (blank means student)"
          rule gradyear pattern "\d{4}" message "gradyear must have four digits (2027, not 27)"
          rule status one of ["Active", "1"] ignoring case message "status must be Active or 1"
          resolve "status must be Active or 1" advice "for a user who should no longer be active, remove the row instead: Pass archives users missing from the file (the guide: remove the user from the file rather than changing the status)"
          guide "upload the master file under the same file name each time: Pass overwrites the previous file of that name (the guide's Quick Tip)"
        end

        format pan "Action-coded user file, California layout (PearsonAccess style)"
          columns Action, Username, "State Code", "First Name", "Last Name", "Authorized Organizations", Roles,
              "Active Begin Date", "Active End Date", Disabled, "Disabled Reason"
          file delimiter "," message "the file layout's notes say: File must be comma delimited and must include the header row"
          messages "roster's words: the file layout gives the rules, not the portal's messages"
          meaning Action = action, Username = username, "First Name" = first_name, "Last Name" = last_name
          meaning "Authorized Organizations" = organizations, Roles = role, "Active Begin Date" = begin_date
          meaning "Active End Date" = end_date, Disabled = active, "Disabled Reason" = disabled_reason
          meaning Username = email, "Authorized Organizations" = organization each "|", Roles = role each "|"
          crosswalk active from oneroster {"true": "No", "false": "Yes"}
          default "State Code" = "CA", Disabled = "No"
          key Username ignoring case
          action column Action create "Create", "C" update "Update", "U"
          disable when lower(Disabled) == "yes" by Disabled = "Yes" reason "Disabled Reason" again "the portal sets Disabled Date to the day of the upload whenever Disabled is Yes, so the account's Disabled Date is reset"
          notice when not isblank(date(`Active End Date`)) and date(`Active End Date`) < today() message "Active End Date already past: the account is expired and the user gets an error at login (the portal's clock is US Central time)"
          blank cells erase
          compare Roles, Disabled ignoring case
          missing users are untouched message "not in the file: the account stays as it is (to disable a leaver, send an Update row with Disabled = Yes)"
          rule Action required, one of ["Create", "C", "Update", "U"] ignoring case message "Action must be Create or Update"
          rule Username required, length 1 to 100 message "Username is required, at most 100 characters"
          rule Username pattern "[^@\s]+@[^@\s]+\.[^@\s]+" message "Username must be the user's e-mail address"
          rule Username unique ignoring case message "Username appears more than once in the file"
          exists Username in users.Username ignoring case when lower(Action) in ["create", "c"] message "Create: a user with this Username already exists"
          known Username in users.Username ignoring case when lower(Action) in ["update", "u"] message "Update: no user with this Username exists"
          rule "State Code" required, one of ["CA"] message "State Code must be CA"
          rule "First Name" required, length 1 to 50 message "First Name is required, at most 50 characters"
          rule "Last Name" required, length 1 to 50 message "Last Name is required, at most 50 characters"
          rule "Authorized Organizations" required, each "|" pattern "\d{14}" message "Authorized Organizations must be 14-character CDS codes separated by |"
          rule Roles required message "Roles is required"
          known "Authorized Organizations" each "|" in submitter with children "0000000" message "an organization outside those of the person submitting the file (the file layout: only organizations the submitter has access to, a district's with its schools)"
          known Roles each "|" in submitter_roles ignoring case message "a role the person submitting the file cannot give (the file layout: only roles the submitter has access to)"
          rule "Active Begin Date" pattern "\d{1,2}/\d{1,2}/\d{4}" message "Active Begin Date must be M/D/YYYY"
          rule "Active End Date" pattern "\d{1,2}/\d{1,2}/\d{4}" message "Active End Date must be M/D/YYYY"
          check `Active Begin Date` ~ "^\d{1,2}/\d{1,2}/\d{4}$" and isblank(date(`Active Begin Date`)) message "Active Begin Date must be a real date (M/D/YYYY)"
          check `Active End Date` ~ "^\d{1,2}/\d{1,2}/\d{4}$" and isblank(date(`Active End Date`)) message "Active End Date must be a real date (M/D/YYYY)"
          check not isblank(date(`Active Begin Date`)) and not isblank(date(`Active End Date`)) and date(`Active Begin Date`) > date(`Active End Date`) message "Active Begin Date must be equal to or before Active End Date"
          rule Disabled required, one of ["Yes", "No"] ignoring case message "Disabled must be Yes or No"
          check lower(Disabled) == "yes" and isblank(`Disabled Reason`) message "Disabled Reason is required when Disabled is Yes"
          rule "Disabled Reason" length 0 to 1000 message "Disabled Reason must be at most 1000 characters"
          guide "each account created is e-mailed instructions to set its password, at its Username (use the e-mail address as the username: the file layout)"
        end

        format tao "TAO Portal: link new users to groups (link-new-user-to-groups.csv)"
          columns user_username, user_name, user_password, user_email, user_language, user_active, group_role, group_name, user_organizationId
          optional columns group_user_active
          messages "roster's words: the TAO guide gives no messages"
          meaning user_username = username, user_name = name, user_password = password, user_email = email
          meaning user_language = language, user_active = active, group_role = role, group_name = group, user_organizationId = organization
          one row per user and group
          one role per user, highest first "GROUP_MANAGER", "GRADER", "TEST_TAKER"
          crosswalk role from oneroster {"administrator": "GROUP_MANAGER", "teacher": "GROUP_MANAGER", "proctor": "GROUP_MANAGER", "student": "TEST_TAKER"}
          crosswalk active from oneroster {"true": "TRUE", "false": "FALSE"}
          crosswalk active from pan {"No": "TRUE", "Yes": "FALSE"}
          default user_username = user_email
          key user_username, group_name
          blank cells erase
          compare group_role blank as "TEST_TAKER"
          compare user_active ignoring case blank as "TRUE" treating "1" as "TRUE", "0" as "FALSE"
          compare user_language ignoring case
          compare group_user_active ignoring case blank as "TRUE"
          remove when upper(group_user_active) != "TRUE" by group_user_active = "FALSE" message "group_user_active is FALSE or blank: TAO removes the user from the group"
          danger when isblank(group_user_active) message "group_user_active is blank: TAO removes the user from this group"
          danger when isblank(user_password) for existing users message "blank user_password for users TAO has: the guide says a blank cell removes the stored value (or errors where the value is mandatory); leave the user_password column out of the file to keep passwords"
          missing users are untouched message "not in the file: TAO keeps the user and its group memberships"
          rule user_username required message "user_username is required"
          rule user_password required for new users message "user_password is required when creating a user"
          check not isblank(user_password) and (len(user_password) < 8 or not (user_password ~ "[A-Z]") or not (user_password ~ "[a-z]") or not (user_password ~ "[^A-Za-z0-9]")) message "user_password needs at least 8 characters with an upper-case letter, a lower-case letter and a special character"
          rule user_language one of ["en-US", "no-NO", "de-DE", "pt-BR", "es-ES", "lt-LT", "it-IT", "nl-NL", "pt-PT", "ro-RO", "he-IL", "fr-FR", "ja-JP"] ignoring case message "user_language must be one of the TAO locales (en-US, es-ES, …)"
          rule user_active one of ["TRUE", "FALSE", "1", "0"] ignoring case message "user_active must be TRUE or FALSE"
          warn user_active == "1" or user_active == "0" message "user_active 1 or 0 is taken as TRUE or FALSE, and TAO logs a warning"
          rule group_role one of ["GROUP_MANAGER", "TEST_TAKER", "GRADER"] message "group_role must be GROUP_MANAGER, TEST_TAKER or GRADER"
          rule group_name required message "group_name is required"
          known group_name in groups message "group_name must be an existing group"
          agree user_name, user_password, user_email, user_language, user_active, user_organizationId per user_username
              message "the rows of one user differ in user_name, user_password, user_email, user_language, user_active or user_organizationId (the guide does not say which row TAO keeps)"
          unique user_username, group_name message "a user has one role per group: one row per user and group"
          rule group_user_active one of ["TRUE", "FALSE"] ignoring case message "group_user_active must be TRUE or FALSE"
          rule user_organizationId required when hierarchies message "user_organizationId is required when organization hierarchies are on (root or an existing unit)"
        end

        format tao_link "TAO Portal: link existing users to groups (link-existing-user-to-groups.csv)"
          columns user_username, group_name, group_role
          meaning user_username = username, group_name = group, group_role = role
          one row per user and group
          one role per user, highest first "GROUP_MANAGER", "GRADER", "TEST_TAKER"
          crosswalk role from oneroster {"administrator": "GROUP_MANAGER", "teacher": "GROUP_MANAGER", "proctor": "GROUP_MANAGER", "student": "TEST_TAKER"}
          key user_username, group_name
          compare group_role blank as "TEST_TAKER"
          missing users are untouched message "not in the file: TAO keeps the user and its group memberships"
          rule user_username required message "user_username is required"
          known user_username in users.user_username message "not a TAO user: link-existing-user-to-groups.csv cannot create users (it has no password); put the user in link-new-user-to-groups.csv"
          rule group_name required message "group_name is required"
          known group_name in groups message "group_name must be an existing group"
          rule group_role one of ["GROUP_MANAGER", "TEST_TAKER", "GRADER"] message "group_role must be GROUP_MANAGER, TEST_TAKER or GRADER"
          unique user_username, group_name message "a user has one role per group: one row per user and group"
        end

        format oneroster "1EdTech OneRoster 1.1 users.csv (the common SIS export)"
          columns sourcedId, status, dateLastModified, enabledUser, orgSourcedIds, role, username, userIds, givenName,
              familyName, middleName, identifier, email, sms, phone, agentSourcedIds, grades, password
          optional columns starting "metadata."
          header in order
          newline "lf"
          meaning sourcedId = id, status = record_status, enabledUser = active, orgSourcedIds = organization each ",", role = role, username = username
          meaning givenName = first_name, familyName = last_name, email = email, phone = phone, password = password
          rule sourcedId required, unique message "sourcedId is required and must be unique"
          rule enabledUser required, one of ["true", "false"] ignoring case message "enabledUser must be true or false"
          rule orgSourcedIds required message "orgSourcedIds is required"
          rule role required, one of ["administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"] message "role must be a OneRoster role"
          rule username required message "username is required"
          rule givenName required message "givenName is required"
          rule familyName required message "familyName is required"
        end
        """#

    /// The definitions in `source`, parsed (a test checks they parse).
    static func parse() throws(Diagnostic) -> [FormatDefinition] {
        let file = SourceFile(name: "built-in formats", text: allSources)
        do {
            return try Parser.formatBlocks(allSources)
        } catch {
            throw error.located(in: file)
        }
    }

    /// Each format's block of `source`, by name, in order: a format is parsed only when a script
    /// first uses it (most runs use one or two, and parsing them all was a fifth of start-up).
    /// The formats above and those of the portals next door, each in a file of its own
    /// (`Formats/Portals/`).
    static let allSources = [source, CambiumTIDE.source, NWEAMAP.source].joined(separator: "\n")

    static let blocks: [(name: String, text: String)] = {
        var out: [(name: String, text: String)] = []
        var start: Int?
        var name = ""
        forEachLine(Array(allSources.utf8)) { bytes, line in
            if bytes[line].starts(with: "format ".utf8) {
                start = line.lowerBound
                name = String(decoding: bytes[line].dropFirst(7).prefix { $0 != 0x20 }, as: UTF8.self)
            } else if let s = start, bytes[line].elementsEqual("end".utf8) {
                out.append((name, String(decoding: bytes[s..<line.upperBound], as: UTF8.self)))
                start = nil
            }
        }
        return out
    }()

    /// Only what recognising a file's header needs of each format (its name, columns, optional
    /// columns and how headers compare), parsed by the same parser from those lines of each block
    /// (an item's line and the deeper-indented lines that continue it).
    static let headers: [FormatDefinition] = {
        let items = ["columns", "optional", "header"].map { Array($0.utf8) }
        var kept: [UInt8] = []
        for block in blocks {
            var keeping = false
            forEachLine(Array(block.text.utf8)) { bytes, line in
                let indent = bytes[line].prefix { $0 == 0x20 }.count
                if indent == 0 {
                    keeping = true  // `format NAME "title"` and `end`
                } else if indent <= 2 {
                    let word = bytes[line].dropFirst(indent).prefix { $0 != 0x20 }
                    keeping = items.contains { word.elementsEqual($0) }
                }
                if keeping {
                    kept += bytes[line]
                    kept.append(0x0A)
                }
            }
        }
        return (try? Parser.formatBlocks(String(decoding: kept, as: UTF8.self))) ?? []
    }()

    /// Calls `body` with each line's range in `bytes` (line breaks left out).
    static func forEachLine(_ bytes: [UInt8], _ body: ([UInt8], Range<Int>) -> Void) {
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            body(bytes, start..<i)
            start = i + 1
        }
    }

    // Each format in full, parsed once on first use (a `static let` is initialised once, safely from
    // any thread).
    static let csv = definition(0)
    static let toms = definition(1)
    static let mcas = definition(2)
    static let pass = definition(3)
    static let pan = definition(4)
    static let tao = definition(5)
    static let taoLink = definition(6)
    static let oneroster = definition(7)

    static func definition(_ k: Int) -> FormatDefinition? {
        k < blocks.count ? (try? Parser.formatBlocks(blocks[k].text))?.first : nil
    }

    /// The built-in format `name` in full.
    static func definition(named name: String) -> FormatDefinition? {
        switch name {
        case "csv": return csv
        case "toms": return toms
        case "mcas": return mcas
        case "pass": return pass
        case "pan": return pan
        case "tao": return tao
        case "tao_link": return taoLink
        case "oneroster": return oneroster
        default: return blocks.firstIndex { $0.name == name }.flatMap(definition)
        }
    }
}
