#!/usr/bin/env python3
"""A simulated school district over four years and an independent oracle for its yearly rollover.

Year 1 (2022) is the initial state of every portal; 2023, 2024 and 2025 are rollovers. For each portal
(toms, mcas, pass, pan, tao) and rollover year this writes OUT/PORTAL/YEAR/ with the inputs a district
has (portal.csv, staff.csv, roles.csv, extras, params.txt) and expected/ (what the portal needs, computed
from the portals' own documents; see README.md for each decision and the seed sentence it rests on).

Python 3 standard library only; deterministic (seeded random.Random).
"""
import argparse
import csv
import os
import random
import shutil

SEED = 20240611
DOMAIN = 'aldervalley.org'
YEARS = [2022, 2023, 2024, 2025]
PORTALS = ['toms', 'mcas', 'pass', 'pan', 'tao']
TAO_PASSWORD = 'Rollover#2024a'

# key: (school name, CDS code for toms/pan, MCAS org, TAO group)
SCHOOLS = {
    'DO': ('District Office', '01611920000000', '00160000', 'District Office'),
    'LIN': ('Lincoln Elementary', '01611920130229', '00160000-00160005', 'Lincoln Elementary'),
    'JEF': ('Jefferson Middle', '01611926001234', '00160000-00160105', 'Jefferson Middle'),
    'ROO': ('Roosevelt High', '01611920134567', '00160000-00160505', 'Roosevelt High'),
    'OAK': ('Oak Grove Elementary', '01611920139999', '00160000-00160010', 'Oak Grove Elementary'),
}
# TAO groups that exist in TAO each year (Oak Grove opens in 2024; its TAO group is only created for 2025).
TAO_GROUPS = {y: [SCHOOLS[k][3] for k in ('DO', 'LIN', 'JEF', 'ROO')] for y in YEARS}
TAO_GROUPS[2025] = TAO_GROUPS[2025] + [SCHOOLS['OAK'][3]]

TITLES = ['Teacher', 'Proctor', 'Instructional Aide', 'Test Coordinator', 'Principal', 'District Test Coordinator']
ROLE_MAP = {
    'toms': {'Teacher': 'Test Administrator', 'Proctor': 'Test Examiner',
             'Instructional Aide': 'Educator \u2013 Roster', 'Test Coordinator': 'Test Site Coordinator',
             'Principal': 'Test Site Coordinator', 'District Test Coordinator': 'Educator - District'},
    'mcas': {'Teacher': 'TA', 'Proctor': 'TA', 'Instructional Aide': 'RAO', 'Test Coordinator': 'STC',
             'Principal': 'STC', 'District Test Coordinator': 'DTC'},
    'pass': {'Teacher': 'teacher', 'Proctor': 'staff', 'Instructional Aide': 'staff', 'Test Coordinator': 'admin',
             'Principal': 'admin', 'District Test Coordinator': 'admin'},
    'pan': {'Teacher': 'test_administrator', 'Proctor': 'proctor', 'Instructional Aide': 'proctor',
            'Test Coordinator': 'school_test_coordinator', 'Principal': 'school_test_coordinator',
            'District Test Coordinator': 'district_admin'},
    'tao': {'Teacher': 'GRADER', 'Proctor': 'GRADER', 'Instructional Aide': 'TEST_TAKER',
            'Test Coordinator': 'GROUP_MANAGER', 'Principal': 'GROUP_MANAGER',
            'District Test Coordinator': 'GROUP_MANAGER'},
}
# Highest permission wins where a portal holds one role per user (mcas: seed; pass, tao: assumed, see README).
RANK = {'mcas': ['RAO', 'TA', 'TC', 'STC', 'DTC'], 'pass': ['staff', 'teacher', 'admin'],
        'tao': ['TEST_TAKER', 'GRADER', 'GROUP_MANAGER']}
TOMS_TA, TOMS_TE = 'Test Administrator', 'Test Examiner'
TOMS_BOTH = 'Test Administrator & Test Examiner'

H_STAFF = ['Employee ID', 'First Name', 'Last Name', 'Email', 'School Code', 'Role']
H_TOMS = ['First name', 'Last name', 'CDS code', 'E-mail address', 'Telephone number', 'Role in organization']
H_MCAS = ['Username', 'Fname', 'Lname', 'Email', 'Role', 'Org', 'Program', 'Phone', 'Fax', 'Address']
H_PASS = ['firstname', 'lastname', 'email', 'role', 'gradyear', 'status', 'idnumber']
H_PAN = ['Action', 'Username', 'State Code', 'First Name', 'Last Name', 'Authorized Organizations', 'Roles',
         'Active Begin Date', 'Active End Date', 'Disabled', 'Disabled Reason']
H_TAO = ['user_username', 'user_name', 'user_password', 'user_email', 'user_language', 'user_active', 'group_role',
         'group_name', 'user_organizationId']
H_LINK = ['user_username', 'group_name', 'group_role']
H_REMOVE = ['user_username', 'group_name']
H_REVIEW = ['Who', 'Why']

# How each input was saved this year (None = as exported/written, 'ansi' = Excel "CSV (Comma delimited)":
# Windows-1252, letters outside it become '?', leading zeros stripped; 'utf8' = Excel "CSV UTF-8": letters kept,
# leading zeros still stripped). Both add CRLF and a trailing empty row.
STAFF_SAVE = {2022: None, 2023: 'ansi', 2024: None, 2025: 'ansi'}
PORTAL_SAVE = {2022: None, 2023: None, 2024: 'ansi', 2025: 'utf8'}


# ---------------------------------------------------------------------------------------------- helpers

def email(local):
    return f'{local}@{DOMAIN}'


def excel_digits(s):
    """Excel reads an all-digit cell as a number: leading zeros are lost."""
    return str(int(s)) if s.isdigit() and len(s) > 1 and s.startswith('0') else s


def excel_ansi(s):
    return excel_digits(s.encode('cp1252', errors='replace').decode('cp1252'))


def fits(seen, true):
    """seen is true as Excel's ANSI save left it: same length, '?' only where true has a non-ASCII letter."""
    return len(seen) == len(true) and all(a == b or (a == '?' and ord(b) > 127) for a, b in zip(seen, true))


def same_name(a, b):
    a, b = a.casefold(), b.casefold()
    return a == b or fits(a, b) or fits(b, a)


def write_csv(path, header, rows, save=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    rows = [[r.get(h, '') for h in header] if isinstance(r, dict) else list(r) for r in rows]
    if save is None:
        with open(path, 'w', encoding='utf-8', newline='') as f:
            w = csv.writer(f, lineterminator='\n')
            w.writerow(header)
            w.writerows(rows)
        return
    damage = excel_ansi if save == 'ansi' else excel_digits
    rows = [[damage(c) for c in r] for r in rows] + [[''] * len(header)]
    enc = 'cp1252' if save == 'ansi' else 'utf-8-sig'
    with open(path, 'w', encoding=enc, newline='', errors='replace') as f:
        w = csv.writer(f, lineterminator='\r\n')
        w.writerow(header)
        w.writerows(rows)


# ---------------------------------------------------------------------------------------------- the district

class Person:
    def __init__(self, key, eid, first, last, mail, assign):
        self.key, self.eid, self.first, self.last, self.email = key, eid, first, last, mail
        self.assign = list(assign)  # [(school key, title)] in HR order; the same school twice = two titles
        self.active = True

    def schools(self):
        return sorted({s for s, _ in self.assign})


INITIAL = [  # key, first, last, e-mail local part, [(school, title)]
    ('okafor', 'Patricia', 'Okafor', 'patricia.okafor', [('DO', 'District Test Coordinator')]),
    ('reyes', 'Daniel', 'Reyes', 'daniel.reyes', [('DO', 'District Test Coordinator')]),
    ('whitfield', 'Susan', 'Whitfield', 'susan.whitfield', [('LIN', 'Principal')]),
    ('garciaA', 'Maria', 'Garcia', 'maria.garcia', [('LIN', 'Teacher')]),
    ('garciaB', 'Maria', 'Garcia', 'maria.garcia2', [('LIN', 'Teacher')]),
    ('nguyen', 'Thanh', 'Nguy\u1ec5n', 'thanh.nguyen', [('LIN', 'Teacher')]),
    ('munoz', 'Jos\u00e9', 'Mu\u00f1oz', 'jose.munoz', [('LIN', 'Teacher')]),
    ('chen', 'Emily', 'Chen', 'emily.chen', [('LIN', 'Proctor')]),
    ('obrien', 'Robert', "O'Brien", 'robert.obrien', [('LIN', 'Teacher')]),
    ('bello', 'Aisha', 'Bello', 'aisha.bello', [('LIN', 'Instructional Aide')]),
    ('kowalski', 'Grace', 'Kowalski', 'grace.kowalski', [('LIN', 'Test Coordinator')]),
    ('jensen', 'Mark', 'Jensen', 'mark.jensen', [('JEF', 'Principal')]),
    ('leeC', 'Kim', 'Lee', 'kim.lee', [('JEF', 'Teacher')]),
    ('leeD', 'Kim', 'Lee', 'kim.lee2', [('JEF', 'Teacher')]),
    ('martin', 'Zo\u00eb', 'Martin', 'zoe.martin', [('JEF', 'Teacher')]),
    ('wojcik', '\u0141ukasz', 'W\u00f3jcik', 'lukasz.wojcik', [('JEF', 'Teacher')]),
    ('adeyemi', 'Samuel', 'Adeyemi', 'samuel.adeyemi', [('JEF', 'Test Coordinator')]),
    ('fischer', 'Laura', 'Fischer', 'laura.fischer', [('JEF', 'Proctor')]),
    ('tran', 'Kevin', 'Tran', 'kevin.tran', [('JEF', 'Teacher')]),
    ('stein', 'Rachel', 'Stein', 'rachel.stein', [('JEF', 'Teacher'), ('JEF', 'Proctor')]),
    ('murphy', 'Brian', 'Murphy', 'brian.murphy', [('ROO', 'Principal')]),
    ('rossi', 'Angela', 'Rossi', 'angela.rossi', [('ROO', 'Test Coordinator')]),
    ('walsh', 'Derek', 'Walsh', 'derek.walsh', [('ROO', 'Teacher')]),
    ('raman', 'Priya', 'Raman', 'priya.raman', [('ROO', 'Teacher')]),
    ('schultz', 'Hannah', 'Schultz', 'hannah.schultz', [('ROO', 'Teacher')]),
    ('haddad', 'Omar', 'Haddad', 'omar.haddad', [('ROO', 'Proctor')]),
    ('delgado', 'Carmen', 'Delgado', 'carmen.delgado', [('ROO', 'Instructional Aide')]),
    ('demir', 'Ay\u015fe', 'Demir', 'ayse.demir', [('ROO', 'Proctor')]),
    ('brooks', 'Michael', 'Brooks', 'michael.brooks', [('LIN', 'Teacher'), ('JEF', 'Proctor')]),
    ('price', 'Natalie', 'Price', 'natalie.price', [('JEF', 'Test Coordinator'), ('ROO', 'Teacher')]),
]
# Pass users created by hand before the district used idnumber (blank idnumber in 2022).
PASS_NO_ID = {'garciaA', 'garciaB', 'tran', 'chen', 'haddad', 'leeD'}
# Pass: a user Clever syncs who is not on the HR list.
PASS_EXTRA_SYNCED = ('Nora', 'Quinn', email('nora.quinn'), 'staff')
# pan: an account disabled before 2022.
PAN_OLD_DISABLED = ('Gary', 'Holt', email('gary.holt'), SCHOOLS['LIN'][1], 'test_administrator', 'Retired in 2021')


class District:
    def __init__(self, rng):
        self.rng = rng
        self.people = {}
        self.next_eid = 100101
        self.events = {}
        self.anomalies = {}  # year -> [('dup', key, row index) | ('conflict', key, field, value)]
        for key, first, last, local, assign in INITIAL:
            self.add(key, first, last, email(local), assign)

    def add(self, key, first, last, mail, assign):
        p = Person(key, str(self.next_eid), first, last, mail, assign)
        self.next_eid += 1
        self.people[key] = p
        return p

    def note(self, year, text):
        self.events.setdefault(year, []).append(text)

    def active(self):
        return [p for p in self.people.values() if p.active]

    def evolve(self, year):
        P, n = self.people, lambda t: self.note(year, t)
        an = self.anomalies.setdefault(year, [])
        if year == 2023:
            for k in ('tran', 'delgado', 'haddad'):
                P[k].active = False
                n(f'leaver: {P[k].first} {P[k].last}')
            self.add('dang', 'Thu', '\u0110\u1eb7ng', email('thu.dang'), [('LIN', 'Teacher')])
            n('hire: Thu \u0110\u1eb7ng (LIN Teacher) - HR file saved by Excel: name becomes ??ng')
            self.add('fhc', 'Christopher', 'Featherstonehaugh-Cholmondeley', email('c.featherstonehaugh'),
                     [('ROO', 'Proctor')])
            n('hire: Christopher Featherstonehaugh-Cholmondeley (last name 30 characters; MCAS allows 25)')
            self.add('tbrooks', 'Tyler', 'Brooks', 'tylerbrooks.teach@gmail.com', [('LIN', 'Proctor')])
            n('hire: Tyler Brooks with a personal gmail address (not a Pass domain)')
            self.add('park', 'Olivia', 'Park', email('olivia.park'), [('ROO', 'Teacher')])
            n('hire: Olivia Park (ROO Teacher, synced by Clever)')
            extra = self.rng.choice(['Ava Morgan', 'Liam Foster', 'Noah Bennett'])
            f, l = extra.split()
            self.add('extra23', f, l, email(f'{f}.{l}'.lower()), [('JEF', 'Proctor')])
            n(f'hire: {extra} (JEF Proctor)')
            P['obrien'].assign = [('LIN', 'Test Coordinator')]
            n("promotion: Robert O'Brien Teacher -> Test Coordinator (LIN)")
            P['jensen'].assign = [('JEF', 'Teacher')]
            n('demotion: Mark Jensen Principal -> Teacher (JEF)')
            P['adeyemi'].assign = [('JEF', 'Principal')]
            n('promotion: Samuel Adeyemi Test Coordinator -> Principal (same MCAS/TOMS/pan/TAO role)')
            P['martin'].assign = [('ROO', 'Teacher')]
            n('move: Zo\u00eb Martin JEF -> ROO (now synced by Clever)')
            P['bello'].assign = [('JEF', 'Instructional Aide')]
            n('move: Aisha Bello LIN -> JEF')
            P['kowalski'].assign = [('LIN', 'Test Coordinator'), ('JEF', 'Teacher')]
            n('second school: Grace Kowalski adds JEF Teacher')
            P['rossi'].last = 'Marino'
            n('name change: Angela Rossi -> Angela Marino (same e-mail)')
            P['garciaA'].email = email('maria.garcia-lopez')
            n('e-mail change without stable id: Maria Garcia (A) -> maria.garcia-lopez@; Maria Garcia (B) '
              'at the same school keeps hers (one candidate); Pass holds no idnumber for A')
            P['fischer'].email = email('lfischer')
            n('e-mail change: Laura Fischer -> lfischer@ (Pass holds her idnumber)')
            P['walsh'].email = 'Derek.Walsh@' + DOMAIN
            n('HR writes Derek Walsh\'s e-mail with capitals (case-only difference)')
            an += [('dup', 'raman', 0), ('dup', 'brooks', 0)]
            n('exact duplicate HR rows: Priya Raman, Michael Brooks (LIN)')
        elif year == 2024:
            self.add('foster', 'Benjamin', 'Foster', email('benjamin.foster'), [('OAK', 'Principal')])
            self.add('alvarez', 'Sofia', 'Alvarez', email('sofia.alvarez'), [('OAK', 'Teacher')])
            n('new school Oak Grove (OAK): hires Benjamin Foster (Principal), Sofia Alvarez (Teacher); '
              'no TAO group for OAK yet')
            P['chen'].assign = [('OAK', 'Proctor')]
            n('move: Emily Chen LIN -> OAK')
            P['leeC'].email = email('kim.s.lee')
            P['leeD'].active = False
            n('e-mail change without stable id, two candidates: Kim Lee (C) -> kim.s.lee@ while Kim Lee (D) '
              'at the same school leaves (Pass holds both idnumbers now)')
            P['delgado'].active = True
            P['delgado'].assign = [('ROO', 'Instructional Aide')]
            n('returning: Carmen Delgado (left 2023) back as ROO Instructional Aide')
            for k in ('walsh', 'whitfield'):
                P[k].active = False
                n(f'leaver: {P[k].first} {P[k].last}')
            n('leaver: Kim Lee (D)')
            P['kowalski'].assign = [('LIN', 'Principal'), ('JEF', 'Teacher')]
            n('promotion: Grace Kowalski Test Coordinator -> Principal (LIN), still JEF Teacher')
            P['fischer'].assign = [('JEF', 'Teacher')]
            n('promotion: Laura Fischer Proctor -> Teacher')
            P['bello'].last = 'Bello-Grant'
            n('name change: Aisha Bello -> Aisha Bello-Grant')
            P['brooks'].assign = [('LIN', 'Teacher')]
            n('Michael Brooks drops JEF')
            P['price'].assign = [('JEF', 'Test Coordinator')]
            n('Natalie Price drops ROO Teacher (no longer synced by Clever)')
            an += [('conflict', 'munoz', 'Email', email('jose.munos')), ('dup', 'stein', 0)]
            n('conflicting HR rows: Jos\u00e9 Mu\u00f1oz twice at LIN with jose.munoz@ and jose.munos@')
            n('exact duplicate HR row: Rachel Stein (JEF Teacher)')
            n('portal exports opened and saved by Excel (ANSI): ? for letters, leading zeros lost')
        elif year == 2025:
            P['tran'].active = True
            P['tran'].assign = [('JEF', 'Teacher')]
            n('returning: Kevin Tran (left 2023) back as JEF Teacher')
            self.add('pham', 'Mai', 'Ph\u1ea1m', email('mai.pham'), [('LIN', 'Teacher')])
            n('hire: Mai Ph\u1ea1m - HR file saved by Excel: name becomes Ph?m')
            self.add('wright', 'Ethan', 'Wright', email('ethan.wright'), [('LIN', 'Teacher'), ('LIN', 'Proctor')])
            n('hire: Ethan Wright LIN Teacher and Proctor (TOMS: Test Administrator & Test Examiner)')
            self.add('fernandez', 'Luc\u00eda', 'Fern\u00e1ndez', email('lucia.fernandez'), [('OAK', 'Teacher')])
            n('hire: Luc\u00eda Fern\u00e1ndez (OAK Teacher; letters Windows-1252 keeps)')
            for k in ('murphy', 'bello', 'wojcik'):
                P[k].active = False
                n(f'leaver: {P[k].first} {P[k].last}')
            P['rossi'].assign = [('ROO', 'Principal')]
            n('promotion: Angela Marino Test Coordinator -> Principal (ROO)')
            P['obrien'].email = email('rob.obrien')
            n("e-mail change: Robert O'Brien -> rob.obrien@ (Pass holds his idnumber)")
            P['schultz'].assign = [('LIN', 'Teacher')]
            n('move: Hannah Schultz ROO -> LIN (no longer synced by Clever)')
            P['alvarez'].assign = [('OAK', 'Teacher'), ('LIN', 'Teacher')]
            n('second school: Sofia Alvarez adds LIN Teacher')
            an += [('dup', 'tran', 0), ('conflict', 'kowalski', 'Last Name', 'Kowalski-Hart')]
            n('exact duplicate HR row: Kevin Tran')
            n('conflicting HR rows: Grace Kowalski / Grace Kowalski-Hart')
            n('Jos\u00e9 Mu\u00f1oz: one clean row again; Oak Grove group now exists in TAO')
            n('HR file saved by Excel (ANSI); portal exports saved by Excel (CSV UTF-8: leading zeros lost)')

    def synced(self):
        """Pass users Clever syncs this year: Roosevelt teachers, plus one counselor not on the HR list."""
        s = {p.email.lower() for p in self.active() if ('ROO', 'Teacher') in p.assign}
        return s | {PASS_EXTRA_SYNCED[2]}


# ---------------------------------------------------------------------------------------------- HR file

class Staff:
    """One person as the HR file shows them this year, as seen by a careful tool."""

    def __init__(self, p, save):
        self.p = p
        seen = excel_ansi if save == 'ansi' else (lambda s: s)
        self.file_first, self.file_last = seen(p.first), seen(p.last)
        self.damaged = (self.file_first, self.file_last) != (p.first, p.last)
        self.conflict = None
        self.emails = {p.email.lower()}

    def __getattr__(self, name):
        return getattr(self.p, name)


def staff_rows(district, year, portal):
    rows = []
    for p in district.active():
        mine = [[p.eid, p.first, p.last, p.email, school_code(portal, s), t] for s, t in p.assign]
        for a in district.anomalies.get(year, []):
            if a[1] != p.key:
                continue
            if a[0] == 'dup':
                mine.append(list(mine[a[2]]))
            else:
                r = list(mine[0])
                r[H_STAFF.index(a[2])] = a[3]
                mine.append(r)
        rows += mine
    district.rng.shuffle(rows)
    return rows


def school_code(portal, s):
    name, cds, mcas, group = SCHOOLS[s]
    return {'toms': cds, 'pan': cds, 'mcas': mcas, 'tao': group, 'pass': name}[portal]


def staff_view(district, year):
    save = STAFF_SAVE[year]
    out = []
    for p in district.active():
        st = Staff(p, save)
        for a in district.anomalies.get(year, []):
            if a[0] == 'conflict' and a[1] == p.key:
                st.conflict = f'HR lists Employee ID {p.eid} twice with different {a[2]} ({a[3]!r})'
                if a[2] == 'Email':
                    st.emails.add(a[3].lower())
        out.append(st)
    return out


def who(st):
    return f'{st.email.lower()} (Employee ID {st.eid})'


DAMAGED_WHY = 'name damaged by an Excel save (? for a letter) and not in the portal export to restore it'


def undecided(st, cands, portal, review, where='at the same school'):
    """An e-mail not in the portal with same-name candidates (README: the issue's "names the candidates ... and
    decides nothing"): the person and each candidate account go to review; nothing is uploaded for either."""
    review.append((who(st), f'e-mail not in {portal} and no stable id; {len(cands)} unclaimed account(s) with the '
                            f'same name {where} ({", ".join(sorted(cands))}): edit the e-mail in the '
                            f'portal by hand if one of them is this person; nothing uploaded'))
    for c in sorted(cands):
        row = (f'{c} ({portal} account)', f'possible old account of {st.email.lower()} (same name, e-mail changed '
                                          f'without a stable id): left as the portal holds it')
        if row not in review:
            review.append(row)


# ---------------------------------------------------------------------------------------------- TOMS

def toms_init(district, rng):
    rows = []
    for p in district.active():
        phone = f'510-555-{rng.randrange(100, 10000):04d}' if rng.random() < 0.5 else ''
        rows += toms_rows(p, p.first, p.last, phone)
    return rows


def toms_rows(p, first, last, phone):
    out = []
    for s in p.schools():
        roles = {ROLE_MAP['toms'][t] for sc, t in p.assign if sc == s}
        if roles == {TOMS_TA, TOMS_TE}:
            role = TOMS_BOTH
        else:
            assert len(roles) == 1, (p.key, roles)
            role = roles.pop()
        out.append({'First name': first, 'Last name': last, 'CDS code': SCHOOLS[s][1], 'E-mail address': p.email,
                    'Telephone number': phone, 'Role in organization': role})
    return out


def toms_year(ctx, state):
    """TOMS: last year's users are inactive until uploaded again; every user x site this year is uploaded."""
    by_email = {}
    for r in state:
        by_email.setdefault(r['E-mail address'].lower(), r)
    staff_emails = set().union(*(s.emails for s in ctx['staff']))
    upload, review, held = [], [], set()
    for st in ctx['staff']:
        if st.conflict:
            review.append((who(st), st.conflict))
            held.update(e for e in st.emails if e in by_email)  # decided by nobody: the portal's rows stay as they were
            continue
        old = by_email.get(st.email.lower())
        if old is None:
            cds = {SCHOOLS[k][1] for k in st.p.schools()}
            cands = {r['E-mail address'].lower() for r in state if r['E-mail address'].lower() not in staff_emails
                     and same_name(r['First name'], st.file_first) and same_name(r['Last name'], st.file_last)
                     and r['CDS code'] in cds}
            if cands:
                undecided(st, cands, 'TOMS', review)
                held.update(cands)
                continue
        if st.damaged and not (old and fits(st.file_first, old['First name'])
                               and fits(st.file_last, old['Last name'])):
            review.append((who(st), DAMAGED_WHY))
            continue
        upload += toms_rows(st.p, st.first, st.last, old['Telephone number'] if old else '')
    kept = [r for r in state if r['E-mail address'].lower() in held]  # the candidates' accounts, as they were
    return {'upload.csv': (H_TOMS, upload)}, review, upload + kept


def toms_export(state):
    return state


# ---------------------------------------------------------------------------------------------- MCAS

def mcas_role(p):
    return max((ROLE_MAP['mcas'][t] for _, t in p.assign), key=RANK['mcas'].index)


def mcas_orgs(p):
    return {SCHOOLS[s][2] for s in p.schools()}


def mcas_init(district, rng):
    st = {}
    for p in district.active():
        schools = set(p.schools())
        program = '1030' if schools <= {'LIN', 'JEF'} else '1034' if schools == {'ROO'} else ''
        st[p.email.lower()] = {'Username': p.email.lower(), 'Fname': p.first, 'Lname': p.last, 'Email': p.email,
                               'Role': mcas_role(p), 'Org': mcas_orgs(p), 'Program': program,
                               'Phone': f'617-555-{rng.randrange(100, 10000):04d}' if rng.random() < 0.4 else '',
                               'Fax': '', 'Address': '', 'active': True, '_eid': p.eid}
    return st


def mcas_row(a):
    r = dict(a)
    r['Org'] = '|'.join(sorted(a['Org']))
    return r


def mcas_year(ctx, st):
    """MCAS: Add New Users and Update Existing Users are separate uploads; no (de)activation by file."""
    active = {u: a for u, a in st.items() if a['active']}
    staff_emails = set().union(*(s.emails for s in ctx['staff']))
    claimed = {u for u, a in active.items() if u.lower() in staff_emails or a['Email'].lower() in staff_emails}
    held = set()
    add, update, review, by_hand = [], [], [], []
    new_state = {u: dict(a) for u, a in st.items()}
    for s in ctx['staff']:
        if s.conflict:
            review.append((who(s), s.conflict))
            continue
        e = s.email.lower()
        acct = next((u for u, a in active.items() if u.lower() == e or a['Email'].lower() == e), None)
        if acct is None:
            cands = [u for u, a in active.items() if u not in claimed and same_name(a['Fname'], s.file_first)
                     and same_name(a['Lname'], s.file_last) and a['Org'] & mcas_orgs(s.p)]
            if cands:
                undecided(s, cands, 'MCAS', review)
                held.update(cands)
                continue
        a = active.get(acct)
        if s.damaged and not (a and fits(s.file_first, a['Fname']) and fits(s.file_last, a['Lname'])):
            review.append((who(s), DAMAGED_WHY))
            continue
        want = {'Fname': s.first, 'Lname': s.last, 'Email': s.email, 'Role': mcas_role(s.p), 'Org': mcas_orgs(s.p)}
        if a and all((a[k].lower() == v.lower()) if k == 'Email' else a[k] == v for k, v in want.items()):
            continue
        if not (1 <= len(s.first) <= 25 and 2 <= len(s.last) <= 25):
            review.append((who(s), 'MCAS rejects names outside 1-25 (first) / 2-25 (last) characters'))
            continue
        if a:
            row = dict(a, **want)
            update.append(mcas_row(row))
            new_state[acct] = row
        else:
            u = e
            row = {'Username': u, 'Program': '', 'Phone': '', 'Fax': '', 'Address': '', **want,
                   'active': True, '_eid': s.eid}
            add.append(mcas_row(row))
            if u in st:
                by_hand.append({'Username': u, 'Why': 'reactivate by hand: a deactivated account has this username, '
                                                      'so the Add will be rejected (User exists with same username)'})
                row = dict(st[u], **want, active=True)
            new_state[u] = row
    for u in sorted(set(active) - claimed - held):
        by_hand.append({'Username': u, 'Why': 'deactivate by hand: not on the HR list (left the district)'})
        new_state[u] = dict(new_state[u], active=False)
    files = {'add.csv': (H_MCAS, add), 'update.csv': (H_MCAS, update), 'by-hand.csv': (['Username', 'Why'], by_hand)}
    return files, review, new_state


def mcas_export(st):
    return [mcas_row(a) for u, a in sorted(st.items()) if a['active']]


# ---------------------------------------------------------------------------------------------- Pass

def pass_role(p):
    return max((ROLE_MAP['pass'][t] for _, t in p.assign), key=RANK['pass'].index)


def pass_rec(p, first=None, last=None, idnumber=None, synced=False):
    return {'firstname': first or p.first, 'lastname': last or p.last, 'email': p.email, 'role': pass_role(p),
            'gradyear': '', 'status': 'Active', 'idnumber': p.eid if idnumber is None else idnumber,
            'synced': synced, '_eid': p.eid}


def pass_init(district, rng):
    synced = district.synced()
    st = {}
    for p in district.active():
        s = p.email.lower() in synced
        st[p.email.lower()] = pass_rec(p, idnumber='' if (p.key in PASS_NO_ID or s) else p.eid, synced=s)
    f, l, e, r = PASS_EXTRA_SYNCED
    st[e] = {'firstname': f, 'lastname': l, 'email': e, 'role': r, 'gradyear': '', 'status': 'Active',
             'idnumber': '', 'synced': True, '_eid': ''}
    return st


def pass_year(ctx, st):
    """Pass: full sync - the master file holds every adult who should be active; missing users are archived."""
    synced = ctx['synced']
    staff_emails = set().union(*(s.emails for s in ctx['staff']))
    staff_ids = {s.eid for s in ctx['staff']}
    claimed = {k for k, r in st.items() if k in staff_emails or (r['idnumber'] and r['idnumber'] in staff_ids)}
    master, kept, review = [], set(), []
    for s in ctx['staff']:
        e = s.email.lower()
        if e in synced:
            continue
        if s.conflict:
            review.append((who(s), s.conflict))
            kept.update(k for k in s.emails if k in st and k not in synced)
            continue
        rec = next((k for k, r in st.items() if r['idnumber'] == s.eid), None) or (e if e in st else None)
        if e.rsplit('@', 1)[-1] != DOMAIN:
            review.append((who(s), 'e-mail domain is not one of the school\'s Pass domains'))
            if rec:
                kept.add(rec)
            continue
        if rec is not None and rec != e:
            review.append((who(s), f'e-mail changed ({rec} -> {e}); Pass holds idnumber {s.eid}: edit the e-mail in '
                                   f'Pass first, then the master file; the old row is kept as Pass holds it'))
            if rec not in synced:
                kept.add(rec)
            continue
        if rec is None:
            cands = [k for k, r in st.items() if k not in claimed and not r['synced'] and not r['idnumber']
                     and same_name(r['firstname'], s.file_first) and same_name(r['lastname'], s.file_last)]
            if cands:
                undecided(s, cands, 'Pass', review, where='and no idnumber')
                kept.update(cands)
                claimed.update(cands)
                continue
        r = st.get(rec)
        if s.damaged and not (r and fits(s.file_first, r['firstname']) and fits(s.file_last, r['lastname'])):
            review.append((who(s), DAMAGED_WHY))
            continue
        master.append(pass_rec(s.p))
    master += [st[k] for k in sorted(kept)]
    new_state = {r['email'].lower(): dict(r, synced=False) for r in master}
    people = {p.email.lower(): p for p in ctx['district'].active()}
    for e in sorted(synced):
        if e in people:
            new_state[e] = pass_rec(people[e], idnumber=st[e]['idnumber'] if e in st else '', synced=True)
        else:
            new_state[e] = dict(st[e])
    return {'master.csv': (H_PASS, master)}, review, new_state


def pass_export(st):
    return [r for _, r in sorted(st.items())]


# ---------------------------------------------------------------------------------------------- pan

def pan_roles(p):
    return {ROLE_MAP['pan'][t] for _, t in p.assign}


def pan_orgs(p):
    return {SCHOOLS[s][1] for s in p.schools()}


def pan_init(district, rng):
    st = {}
    for p in district.active():
        st[p.email.lower()] = {'Username': p.email.lower(), 'State Code': 'CA', 'First Name': p.first,
                               'Last Name': p.last, 'orgs': pan_orgs(p), 'roles': pan_roles(p),
                               'Active Begin Date': '8/15/2022', 'Active End Date': '', 'Disabled': 'No',
                               'Disabled Reason': '', '_eid': p.eid}
    f, l, e, org, role, why = PAN_OLD_DISABLED
    st[e] = {'Username': e, 'State Code': 'CA', 'First Name': f, 'Last Name': l, 'orgs': {org}, 'roles': {role},
             'Active Begin Date': '8/15/2019', 'Active End Date': '', 'Disabled': 'Yes', 'Disabled Reason': why,
             '_eid': ''}
    return st


def pan_row(a, action=''):
    r = dict(a, Action=action)
    r['Authorized Organizations'] = '|'.join(sorted(a['orgs']))
    r['Roles'] = '|'.join(sorted(a['roles']))
    return r


def pan_year(ctx, st):
    """pan: Create new users, Update changed ones (a row replaces the account's data), disable leavers."""
    staff_emails = set().union(*(s.emails for s in ctx['staff']))
    upload, review, held = [], [], set()
    new_state = {u: dict(a) for u, a in st.items()}
    for s in ctx['staff']:
        if s.conflict:
            review.append((who(s), s.conflict))
            continue
        u = s.email.lower()
        a = st.get(u)
        if a is None:
            cands = {v for v, b in st.items() if v not in staff_emails and same_name(b['First Name'], s.file_first)
                     and same_name(b['Last Name'], s.file_last) and b['orgs'] & pan_orgs(s.p)}
            if cands:
                undecided(s, cands, 'PAN', review)
                held.update(cands)
                continue
        want = {'First Name': s.first, 'Last Name': s.last, 'orgs': pan_orgs(s.p), 'roles': pan_roles(s.p)}
        if a and a['Disabled'] == 'No' and all(a[k] == v for k, v in want.items()):
            continue
        if s.damaged and not (a and fits(s.file_first, a['First Name']) and fits(s.file_last, a['Last Name'])):
            review.append((who(s), DAMAGED_WHY))
            continue
        if a:
            row = dict(a, **want, Disabled='No')
            row['Disabled Reason'] = ''
            upload.append(pan_row(row, 'Update'))
        else:
            row = {'Username': u, 'State Code': 'CA', **want, 'Active Begin Date': '', 'Active End Date': '',
                   'Disabled': 'No', 'Disabled Reason': '', '_eid': s.eid}
            upload.append(pan_row(row, 'Create'))
        new_state[u] = row
    for u, a in sorted(st.items()):
        if a['Disabled'] == 'No' and u not in staff_emails and u not in held:
            assert PORTAL_SAVE[ctx['year']] != 'ansi' or excel_ansi(a['First Name'] + a['Last Name']) == \
                a['First Name'] + a['Last Name'], 'a disable row would need a name the export lost'
            row = dict(a, Disabled='Yes')
            row['Disabled Reason'] = f'Not on the {ctx["year"]} HR staff list (left the district or changed e-mail)'
            upload.append(pan_row(row, 'Update'))
            new_state[u] = row
    return {'upload.csv': (H_PAN, upload)}, review, new_state


def pan_export(st):
    return [pan_row(a) for _, a in sorted(st.items())]


# ---------------------------------------------------------------------------------------------- TAO

def tao_want(p):
    want = {}
    for s, t in p.assign:
        g, r = SCHOOLS[s][3], ROLE_MAP['tao'][t]
        if g not in want or RANK['tao'].index(r) > RANK['tao'].index(want[g]):
            want[g] = r
    return want


def tao_init(district, rng):
    users, members = {}, {}
    for p in district.active():
        u = p.email.lower()
        users[u] = {'user_username': u, 'user_name': f'{p.first} {p.last}', 'user_email': p.email,
                    'user_language': 'en-US', 'user_active': 'TRUE', 'user_organizationId': 'root', '_eid': p.eid}
        for g, r in tao_want(p).items():
            members[(u, g)] = r
    return users, members


def tao_year(ctx, state):
    """TAO: link new users to groups, link existing users to new groups, end memberships no longer held."""
    users, members = state
    groups = set(ctx['tao_groups'])
    staff_emails = set().union(*(s.emails for s in ctx['staff']))
    claimed = {u for u, a in users.items() if u in staff_emails or a['user_email'].lower() in staff_emails}
    held = set()
    link_new, link_old, remove, review = [], [], [], []
    users2, members2 = {u: dict(a) for u, a in users.items()}, dict(members)
    for s in ctx['staff']:
        if s.conflict:
            review.append((who(s), s.conflict))
            continue
        e = s.email.lower()
        want = tao_want(s.p)
        user = next((u for u, a in users.items() if u == e or a['user_email'].lower() == e), None)
        if user is None:
            cands = [u for u, a in users.items() if u not in claimed
                     and same_name(a['user_name'], f'{s.file_first} {s.file_last}')
                     and any(m[0] == u and m[1] in want for m in members)]
            if cands:
                undecided(s, cands, 'TAO', review)
                held.update(cands)
                continue
        missing = sorted(g for g in want if g not in groups)
        if missing:
            review.append((who(s), f'group {", ".join(missing)} does not exist in TAO: membership withheld'))
        want = {g: r for g, r in want.items() if g in groups}
        if user is None:
            if s.damaged:
                review.append((who(s), DAMAGED_WHY))
                continue
            if not want:
                continue
            user = e
            users2[user] = {'user_username': user, 'user_name': f'{s.first} {s.last}', 'user_email': s.email,
                            'user_language': 'en-US', 'user_active': 'TRUE', 'user_organizationId': 'root',
                            '_eid': s.eid}
            for g, r in sorted(want.items()):
                link_new.append({'user_username': user, 'group_name': g, 'group_role': r})
                members2[(user, g)] = r
            continue
        users2[user]['user_name'] = f'{s.first} {s.last}'
        for g, r in sorted(want.items()):
            if members.get((user, g)) != r:
                link_old.append({'user_username': user, 'group_name': g, 'group_role': r})
                members2[(user, g)] = r
        for (u, g) in sorted(members):
            if u == user and g not in want and g in groups:
                remove.append({'user_username': u, 'group_name': g})
                del members2[(u, g)]
    for (u, g) in sorted(members):
        if u not in claimed and u not in held:
            remove.append({'user_username': u, 'group_name': g})
            del members2[(u, g)]
    files = {'link-new.csv': (H_LINK, link_new), 'link-existing.csv': (H_LINK, link_old),
             'remove.csv': (H_REMOVE, remove)}
    return files, review, (users2, members2)


def tao_export(state):
    users, members = state
    rows = []
    for u, a in sorted(users.items()):
        mine = sorted((g, r) for (uu, g), r in members.items() if uu == u)
        for g, r in mine or [('', '')]:
            rows.append(dict(a, user_password='', group_role=r, group_name=g))
    return rows


# ---------------------------------------------------------------------------------------------- driver

PORTAL_DEF = {
    'toms': (H_TOMS, toms_init, toms_year, toms_export),
    'mcas': (H_MCAS, mcas_init, mcas_year, mcas_export),
    'pass': (H_PASS, pass_init, pass_year, pass_export),
    'pan': (H_PAN, pan_init, pan_year, pan_export),
    'tao': (H_TAO, tao_init, tao_year, tao_export),
}


def read_back(path):
    data = open(path, 'rb').read()
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError:
        text = data.decode('cp1252')
    rows = [r for r in csv.reader(text.splitlines()) if any(c.strip() for c in r)]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def self_check(out):
    """The oracle reasons about what a tool can see; check that against the files written, and that no expected
    upload carries damage (a '?' for a letter, a code that lost its leading zeros)."""
    for portal in PORTALS:
        for year in YEARS[1:]:
            d = os.path.join(out, portal, str(year))
            for r in read_back(os.path.join(d, 'staff.csv')):
                code = r['School Code']
                if STAFF_SAVE[year] and portal in ('toms', 'pan'):
                    assert len(code) == 13 and not code.startswith('0'), code
                if STAFF_SAVE[year] == 'ansi' and r['Employee ID'] in ('100106', '100131'):
                    assert '?' in r['First Name'] + r['Last Name'], r
            for name in os.listdir(os.path.join(d, 'expected')):
                if name in ('review.csv', 'by-hand.csv'):
                    continue
                for r in read_back(os.path.join(d, 'expected', name)):
                    for k, v in r.items():
                        assert '?' not in v, (portal, year, name, r)
                        if k in ('CDS code', 'Authorized Organizations'):
                            assert all(len(c) == 14 for c in v.split('|') if c), (portal, year, name, r)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default='out-sim')
    ap.add_argument('--seed', type=int, default=SEED)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    district = District(rng)
    if os.path.isdir(args.out):
        for p in PORTALS:
            shutil.rmtree(os.path.join(args.out, p), ignore_errors=True)
    states = {p: PORTAL_DEF[p][1](district, rng) for p in PORTALS}
    summary = []
    for year in YEARS[1:]:
        district.evolve(year)
        staff = staff_view(district, year)
        ctx = {'year': year, 'staff': staff, 'district': district, 'synced': district.synced(),
               'tao_groups': TAO_GROUPS[year]}
        for portal in PORTALS:
            header, _, step, export = PORTAL_DEF[portal]
            d = os.path.join(args.out, portal, str(year))
            before = export(states[portal])
            write_csv(os.path.join(d, 'portal.csv'), header, before, PORTAL_SAVE[year])
            write_csv(os.path.join(d, 'staff.csv'), H_STAFF, staff_rows(district, year, portal), STAFF_SAVE[year])
            write_csv(os.path.join(d, 'roles.csv'), ['Title', 'Role'], [[t, ROLE_MAP[portal][t]] for t in TITLES])
            params = ['portal=portal.csv', 'staff=staff.csv', 'roles=roles.csv', 'out=out']
            if portal == 'pass':
                write_csv(os.path.join(d, 'synced.csv'), ['email'], [[e] for e in sorted(ctx['synced'])])
                params += ['synced=synced.csv', f'domains={DOMAIN}']
            if portal == 'tao':
                write_csv(os.path.join(d, 'groups.csv'), ['group_name'], [[g] for g in TAO_GROUPS[year]])
                params += ['groups=groups.csv', f'password={TAO_PASSWORD}']
            if portal == 'pan':
                params += [f'year={year}']
            with open(os.path.join(d, 'params.txt'), 'w', encoding='utf-8') as f:
                f.write('\n'.join(params) + '\n')
            files, review, states[portal] = step(ctx, states[portal])
            e = os.path.join(d, 'expected')
            for name, (h, rows) in files.items():
                write_csv(os.path.join(e, name), h, rows)
            write_csv(os.path.join(e, 'review.csv'), H_REVIEW, review)
            write_csv(os.path.join(e, 'portal-before.csv'), header, before)
            write_csv(os.path.join(e, 'state-after.csv'), header, export(states[portal]))
            counts = ', '.join(f'{n[:-4]} {len(r)}' for n, (h, r) in files.items())
            summary.append(f'{portal:4} {year}: staff {len(staff):2} people; {counts}; review {len(review)}')
    self_check(args.out)
    with open(os.path.join(args.out, 'EVENTS.md'), 'w', encoding='utf-8') as f:
        f.write('# What happened each year (simulate.py, seed %d)\n' % args.seed)
        for y in YEARS[1:]:
            f.write(f'\n## {y}\n\n' + ''.join(f'- {t}\n' for t in district.events[y]))
        f.write('\n## Expected\n\n' + ''.join(f'- {s}\n' for s in summary))
    print('\n'.join(summary))


if __name__ == '__main__':
    main()
