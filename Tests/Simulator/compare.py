#!/usr/bin/env python3
"""Run roster's rollover recipes on the simulated district and compare what they upload with the oracle.

usage: compare.py ROSTER_BINARY RECIPES_DIR SIM_DIR [--only PORTAL[/YEAR]] [--keep]

For each SIM_DIR/PORTAL/YEAR (written by simulate.py) the folder is copied to a temp dir and
`ROSTER_BINARY RECIPES_DIR/PORTAL/rollover.roster --param NAME=VALUE ...` runs there (cwd = the copy; file
parameters and out= are passed as absolute paths). Its out/ files are compared with expected/ as sets of rows on
the columns that identify and matter (check 1). Check 2: the state the portal will hold after the upload, derived
from roster's out/change-report.csv, is compared with expected/state-after.csv. Two checks per portal-year; exit
status 0 only when all pass.
"""
import argparse
import csv
import glob
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata

PORTALS = ['toms', 'mcas', 'pass', 'pan', 'tao']
TIMEOUT = 120


# ---------------------------------------------------------------------------------------------- reading

def read_table(path):
    """Rows of a CSV as dicts keyed by lower-cased, trimmed header names; blank rows dropped. A file roster did
    not write is an empty upload (roster writes no portal file when there is nothing to upload)."""
    if not os.path.exists(path):
        return []
    data = open(path, 'rb').read()
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError:
        text = data.decode('cp1252', errors='replace')
    rows = list(csv.reader(io.StringIO(text, newline='')))
    if not rows:
        return []
    head = [h.strip().lower() for h in rows[0]]
    out = []
    for r in rows[1:]:
        if not any(c.strip() for c in r):
            continue
        out.append({h: (r[i] if i < len(r) else '') for i, h in enumerate(head) if h})
    return out


def has_column(path, name):
    if not os.path.exists(path):
        return False
    with open(path, 'rb') as f:
        first = f.readline().decode('utf-8-sig', errors='replace')
    return name in [h.strip().lower() for h in next(csv.reader([first]), [])]


def t(s):
    return unicodedata.normalize('NFC', (s or '').strip())


def low(s):
    return t(s).lower()


def multi(s, lower=False):
    vals = {t(v) for v in (s or '').split('|') if t(v)}
    return frozenset(v.lower() for v in vals) if lower else frozenset(vals)


def show(key):
    return ','.join('|'.join(sorted(k)) if isinstance(k, frozenset) else str(k) for k in key)


# ---------------------------------------------------------------------------------------------- per portal
# Each returns (expected keys, uploaded keys, accidents [str], notes [str]); keys are tuples.

TOMS_RANK = {'Educator - District': 0, 'Educator \u2013 Test Site': 0, 'Educator \u2013 Roster': 0,
             'IA Administrator Only': 0, 'Test Examiner': 1, 'Test Administrator': 2,
             'Test Administrator & Test Examiner': 3, 'Test Site Coordinator': 4}


def toms(exp, out):
    def key(r):
        return (t(r['first name']), t(r['last name']), t(r['cds code']), low(r['e-mail address']),
                t(r['role in organization']))
    want = [key(r) for r in read_table(f'{exp}/upload.csv')]
    got = [key(r) for f in ('toms-activation.csv', 'toms-new-users.csv') for r in read_table(f'{out}/{f}')]
    acc = []
    got_role = {(k[3], k[2]): k[4] for k in got}
    for k in want:
        r = got_role.get((k[3], k[2]))
        if r is None:
            acc.append(f'{k[3]} left inactive at {k[2]} (no row uploaded)')
        elif TOMS_RANK.get(r, -1) < TOMS_RANK.get(k[4], -1):
            acc.append(f'{k[3]} demoted at {k[2]}: {r} instead of {k[4]}')
    return want, got, acc, []


MCAS_RANK = ['RAO', 'TA', 'TC', 'STC', 'DTC']


def mcas(exp, out):
    def key(kind, r):
        return (kind, low(r['username']), t(r['fname']), t(r['lname']), low(r['email']), t(r['role']).upper(),
                multi(r['org']), t(r.get('program', '')))
    want = [key(k, r) for k in ('add', 'update') for r in read_table(f'{exp}/{k}.csv')]
    got, notes = [], []
    for kind in ('add', 'update'):
        for f in sorted(glob.glob(f'{out}/mcas-{kind}.csv') + glob.glob(f'{out}/mcas-{kind}-*.csv')):
            rows = read_table(f)
            if len(rows) > 200:
                notes.append(f'FAIL {os.path.basename(f)} has {len(rows)} records (MCAS allows 200 per file)')
            got += [key(kind, r) for r in rows]
    after = {low(r['username']): r for r in read_table(f'{exp}/state-after.csv')}
    acc = []
    for k in got:
        a = after.get(k[1])
        if not a:
            continue
        rank = lambda x: MCAS_RANK.index(x) if x in MCAS_RANK else -1
        if rank(k[5]) < rank(t(a['role']).upper()):
            acc.append(f'{k[1]} demoted: {k[5]} instead of {t(a["role"])}')
        lost = multi(a['org']) - k[6]
        if lost:
            acc.append(f'{k[1]} loses organization(s) {"|".join(sorted(lost))}')
    return want, got, acc, notes


PASS_RANK = ['student', 'staff', 'teacher', 'admin']


def pass_(exp, out):
    def key(r):
        status = low(r.get('status'))
        return (t(r['firstname']), t(r['lastname']), low(r['email']), low(r['role']) or 'student',
                t(r.get('gradyear')), 'active' if status in ('active', '1') else status, t(r.get('idnumber')))
    want = [key(r) for r in read_table(f'{exp}/master.csv')]
    got = [key(r) for r in read_table(f'{out}/pass-master.csv')]
    by_mail = {k[2]: k for k in got}
    by_id = {k[6]: k for k in got if k[6]}
    acc = []
    for k in want:
        g = by_mail.get(k[2]) or (by_id.get(k[6]) if k[6] else None)
        if g is None:
            acc.append(f'{k[2]}{f" (idnumber {k[6]})" if k[6] else ""} archived by accident '
                       f'(missing from the master file)')
        elif g[3] in PASS_RANK and PASS_RANK.index(g[3]) < PASS_RANK.index(k[3]):
            acc.append(f'{k[2]} demoted: {g[3]} instead of {k[3]}')
    return want, got, acc, []


def pan(exp, out):
    def key(r):
        action = low(r['action'])
        action = {'c': 'create', 'u': 'update'}.get(action, action)
        disabled = low(r['disabled'])
        return (action, low(r['username']), t(r.get('state code')).upper(), t(r['first name']), t(r['last name']),
                multi(r['authorized organizations']), multi(r['roles'], lower=True), disabled,
                'reason given' if disabled == 'yes' and t(r.get('disabled reason')) else
                ('NO REASON' if disabled == 'yes' else ''))
    want = [key(r) for r in read_table(f'{exp}/upload.csv')]
    got = [key(r) for r in read_table(f'{out}/pan-upload.csv')]
    acc = []
    want_by_user = {k[1]: k for k in want}
    for g in got:
        w = want_by_user.get(g[1])
        if g[7] == 'yes' and not (w and w[7] == 'yes'):
            acc.append(f'{g[1]} disabled by accident')
        if w and w[7] == 'no':
            if w[6] - g[6]:
                acc.append(f'{g[1]} loses role(s) {"|".join(sorted(w[6] - g[6]))}')
            if w[5] - g[5]:
                acc.append(f'{g[1]} loses organization(s) {"|".join(sorted(w[5] - g[5]))}')
    return want, got, acc, []


TAO_RANK = ['TEST_TAKER', 'GRADER', 'GROUP_MANAGER']


def tao(exp, out):
    def link(kind, r):
        return (kind, low(r['user_username']), t(r['group_name']), t(r.get('group_role')).upper() or 'TEST_TAKER')

    def removal(r):
        return ('remove', low(r['user_username']), t(r['group_name']))

    want = [link(k, r) for k in ('link-new', 'link-existing') for r in read_table(f'{exp}/{k}.csv')]
    want += [removal(r) for r in read_table(f'{exp}/remove.csv')]
    before = read_table(f'{exp}/portal-before.csv')
    held = {(low(r['user_username']), t(r['group_name'])): t(r['group_role']).upper() for r in before
            if t(r['group_name'])}
    users = {low(r['user_username']): r for r in before}
    got, acc, notes = [], [], []
    for kind, name in (('link-new', 'link-new-user-to-groups.csv'),
                       ('link-existing', 'link-existing-user-to-groups.csv'),
                       ('update', 'update-users-and-groups.csv')):
        path = f'{out}/{name}'
        flagged = has_column(path, 'group_user_active')  # TRUE adds; FALSE or blank removes; absent = TRUE
        for r in read_table(path):
            if flagged and t(r.get('group_user_active')).upper() not in ('TRUE', '1'):
                got.append(removal(r))
                continue
            if kind == 'update':
                k = link('link-existing', r)
                for col in ('user_name', 'user_email', 'user_language', 'user_organizationid'):
                    u = users.get(k[1])
                    if col in r and not t(r[col]) and u and t(u.get(col)):
                        acc.append(f'{k[1]}: blank {col} in {name} erases the stored value')
                if held.get(k[1:3]) == k[3] and k not in want:
                    notes.append(f'no-op link ignored: {show(k[1:])}')
                    continue
            else:
                k = link(kind, r)
            if kind == 'link-new' and not t(r.get('user_password')):
                k = k + ('NO PASSWORD',)
            got.append(k)
    want_role = {k[1:3]: k[3] for k in want if k[0] != 'remove'}
    want_remove = {k[1:] for k in want if k[0] == 'remove'}
    for k in got:
        if k[0] == 'remove' and k[1:] not in want_remove:
            acc.append(f'{k[1]} removed from {k[2]} by accident')
        elif k[0] != 'remove' and k[1:3] in want_role and k[3] in TAO_RANK \
                and TAO_RANK.index(k[3]) < TAO_RANK.index(want_role[k[1:3]]):
            acc.append(f'{k[1]} demoted in {k[2]}: {k[3]} instead of {want_role[k[1:3]]}')
    return want, got, acc, notes


COMPARE = {'toms': toms, 'mcas': mcas, 'pass': pass_, 'pan': pan, 'tao': tao}


# ---------------------------------------------------------------------------------------------- plan check
# roster's out/change-report.csv says, row by row, what it decided and what the portal will do (Plan). From it we
# derive the state the portal will hold after the upload and compare that with expected/state-after.csv. Uploaded
# = a non-blank Plan other than Reject and a blank Danger; every other row (withheld, review, by hand, leave ...)
# changes nothing, except as each portal's semantics say (TOMS: not uploaded = inactive; Pass: not in the master =
# archived; MCAS: `by hand` = the deactivation done by hand, as state-after assumes). Each predictor returns
# {identity: {attribute: value}}; an attribute of None is unknown (not compared).

def cds(s):
    s = t(s)
    return s.zfill(14) if s.isdigit() else s


def orgs_norm(s, width=8):
    """MCAS org `DDDDDDDD-SSSSSSSS|...` with zeros restored, as a frozenset."""
    out = set()
    for o in multi(s):
        out.add('-'.join(x.zfill(width) if x.isdigit() else x for x in o.split('-')))
    return frozenset(out)


def report_rows(out):
    rows = read_table(f'{out}/change-report.csv')
    for r in rows:
        plan, danger = t(r.get('plan')), t(r.get('danger'))
        r['_plan'] = plan.lower()
        r['_decision'] = low(r.get('decision'))
        r['_uploaded'] = bool(plan) and plan.lower() != 'reject' and not danger
    return rows


def predict_toms(case, exp, out, rep):
    """Only the uploaded user x site rows are active; a person with no uploaded row whom the report holds back
    (review, by hand, withheld) keeps the portal's rows as they were (changes nothing); `leave` = inactive."""
    pred = {}
    for r in rep:
        if r['_uploaded'] and r['_plan'] != 'remove':
            pred[(low(r['e-mail address']), cds(r['cds code']))] = {'role': t(r['role in organization'])}
    uploaded_mail = {k[0] for k in pred}
    held = [r for r in rep if not r['_uploaded'] and r['_decision'] not in ('leave', 'remove', 'disable')]
    held_keys = {(low(r['e-mail address']), cds(r['cds code'])) for r in held}
    held_mail = {k[0] for k in held_keys}
    for b in read_table(f'{exp}/portal-before.csv'):
        k = (low(b['e-mail address']), cds(b['cds code']))
        if k not in pred and (k in held_keys or (k[0] in held_mail and k[0] not in uploaded_mail)):
            pred[k] = {'role': t(b['role in organization'])}
    return pred


def state_toms(exp):
    return {(low(r['e-mail address']), cds(r['cds code'])): {'role': t(r['role in organization'])}
            for r in read_table(f'{exp}/state-after.csv')}


def predict_mcas(case, exp, out, rep):
    """The portal's active users stay; uploaded Add/Update rows set role and orgs; `by hand` rows for accounts not
    uploaded are taken as deactivated by hand (state-after assumes the by-hand list was done)."""
    pred = {low(b['username']): {'role': t(b['role']).upper(), 'org': orgs_norm(b['org'])}
            for b in read_table(f'{exp}/portal-before.csv')}
    uploaded = set()
    for r in rep:
        if r['_uploaded']:
            u = low(r['username'])
            pred[u] = {'role': t(r['role']).upper(), 'org': orgs_norm(r['org'])}
            uploaded.add(u)
    for r in rep:
        if r['_decision'] == 'by hand' and low(r['username']) not in uploaded:
            pred.pop(low(r['username']), None)
    return pred


def state_mcas(exp):
    return {low(r['username']): {'role': t(r['role']).upper(), 'org': orgs_norm(r['org'])}
            for r in read_table(f'{exp}/state-after.csv')}


def predict_pass(case, exp, out, rep):
    """Exactly the uploaded master rows plus the users a sync manages (synced.csv; role not compared). A held-back
    row (review, withheld) changes nothing: the Pass account it names (by e-mail or idnumber) stays as it is,
    unless the report archives that account itself (`leave`)."""
    pred = {}
    for r in rep:
        if r['_uploaded'] and r['_plan'] != 'remove':
            pred[low(r['email'])] = {'role': low(r['role'])}
    synced = []
    with open(f'{case}/params.txt', encoding='utf-8') as f:
        for line in f:
            name, _, value = line.strip().partition('=')
            if name == 'synced' and value:
                synced.append(os.path.join(case, value))
    for f in synced:
        for r in read_table(f):
            e = low(r.get('email') or next(iter(r.values()), ''))
            if e:
                pred.setdefault(e, {'role': None})
    before = read_table(f'{exp}/portal-before.csv')
    leaving = {low(r['email']) for r in rep if r['_decision'] in ('leave', 'remove', 'disable')
               and not r['_uploaded']} - set(pred)
    for r in rep:
        if r['_uploaded'] or r['_decision'] in ('leave', 'remove', 'disable'):
            continue
        e, idn = low(r['email']), t(r.get('idnumber'))
        for b in before:
            be = low(b['email'])
            if (be == e or (idn and t(b.get('idnumber')) == idn)) and be not in pred and be not in leaving:
                pred[be] = {'role': low(b['role'])}
    return pred


def state_pass(exp):
    return {low(r['email']): {'role': low(r['role'])} for r in read_table(f'{exp}/state-after.csv')
            if low(r.get('status')) in ('active', '1', '')}


def predict_pan(case, exp, out, rep):
    """The portal's accounts stay; an uploaded Create/Update row sets roles, organizations and Disabled; an
    account is active unless disabled."""
    acc = {}
    for b in read_table(f'{exp}/portal-before.csv'):
        acc[low(b['username'])] = {'roles': multi(b['roles'], lower=True),
                                   'orgs': frozenset(cds(o) for o in multi(b['authorized organizations'])),
                                   'disabled': low(b['disabled']) == 'yes'}
    for r in rep:
        if not r['_uploaded']:
            continue
        u = low(r['username'])
        a = dict(acc.get(u, {'roles': frozenset(), 'orgs': frozenset(), 'disabled': False}))
        if multi(r['roles']):
            a['roles'] = multi(r['roles'], lower=True)
        if multi(r['authorized organizations']):
            a['orgs'] = frozenset(cds(o) for o in multi(r['authorized organizations']))
        if low(r['disabled']) in ('yes', 'no'):
            a['disabled'] = low(r['disabled']) == 'yes'
        if r['_plan'] == 'remove':
            a['disabled'] = True
        acc[u] = a
    return {u: {'roles': a['roles'], 'orgs': a['orgs']} for u, a in acc.items() if not a['disabled']}


def state_pan(exp):
    return {low(r['username']): {'roles': multi(r['roles'], lower=True),
                                 'orgs': frozenset(cds(o) for o in multi(r['authorized organizations']))}
            for r in read_table(f'{exp}/state-after.csv') if low(r['disabled']) != 'yes'}


def predict_tao(case, exp, out, rep):
    """The portal's memberships stay; uploaded rows add a membership or change its role; `Remove` ends it."""
    mem = {(low(b['user_username']), t(b['group_name'])): t(b['group_role']).upper()
           for b in read_table(f'{exp}/portal-before.csv') if t(b['group_name'])}
    for r in rep:
        if not r['_uploaded']:
            continue
        k = (low(r['user_username']), t(r['group_name']))
        if r['_plan'] == 'remove':
            mem.pop(k, None)
        elif k[1]:
            mem[k] = t(r['group_role']).upper() or 'TEST_TAKER'
    return {k: {'role': v} for k, v in mem.items()}


def state_tao(exp):
    return {(low(r['user_username']), t(r['group_name'])): {'role': t(r['group_role']).upper()}
            for r in read_table(f'{exp}/state-after.csv') if t(r['group_name'])}


PREDICT = {'toms': (predict_toms, state_toms), 'mcas': (predict_mcas, state_mcas),
           'pass': (predict_pass, state_pass), 'pan': (predict_pan, state_pan), 'tao': (predict_tao, state_tao)}


def fmt(v):
    return '|'.join(sorted(v)) if isinstance(v, frozenset) else str(v)


def ident(k):
    return show(k) if isinstance(k, tuple) else str(k)


def plan_check(portal, case, exp, out):
    """(predicted active, state-after active, mismatches [str]) or None when there is no change-report.csv."""
    if not os.path.exists(f'{out}/change-report.csv'):
        return None
    rep = report_rows(out)
    predict, state = PREDICT[portal]
    pred, want = predict(case, exp, out, rep), state(exp)
    bad = []
    for k in sorted(set(pred) - set(want), key=ident):
        bad.append(f'predicted active but not: {ident(k)}')
    for k in sorted(set(want) - set(pred), key=ident):
        bad.append(f'predicted gone but stays: {ident(k)}')
    for k in sorted(set(pred) & set(want), key=ident):
        for col, v in pred[k].items():
            if v is not None and want[k].get(col) is not None and v != want[k][col]:
                bad.append(f'predicted {col} {fmt(v)}, state has {fmt(want[k][col])}: {ident(k)}')
    return len(pred), len(want), bad


# ---------------------------------------------------------------------------------------------- review

REASON_WORDS = ('reason', 'why', 'note', 'problem', 'message', 'issue', 'error', 'explanation', 'detail')
TOKEN = r'[\w.+-]+@[\w.-]+|\b\d{5,}\b'  # an e-mail or an Employee ID / idnumber
WITHHELD = ('left inactive', 'archived by accident')  # accidents that are a row not uploaded


def excused(acc, exp, out):
    """Accidents that are a row the tool withholds for a person it lists in to-review.csv, when the oracle's
    review.csv lists that person (or candidate account) too: not an accident (the issue's "uploads that obey the
    plan"). The row still counts as missing when the oracle expects it."""
    path = f'{out}/to-review.csv'
    text = open(path, 'rb').read().decode('utf-8', errors='replace').lower() if os.path.exists(path) else ''
    listed = {tok for r in read_table(f'{exp}/review.csv') for tok in re.findall(TOKEN, r['who'].lower())}
    keep, excuse = [], []
    for a in acc:
        toks = set(re.findall(TOKEN, a.lower())) & listed
        if any(w in a for w in WITHHELD) and any(tok in text for tok in toks):
            excuse.append(a)
        else:
            keep.append(a)
    return keep, excuse


def review_check(exp, out):
    """(withheld rows, rows without a reason, expected reviews not mentioned)."""
    path = f'{out}/to-review.csv'
    rows = read_table(path)
    without = 0
    if rows:
        cols = list(rows[0].keys())
        reason = [c for c in cols if any(w in c for w in REASON_WORDS)] or cols[-1:]
        without = sum(1 for r in rows if not any(t(r.get(c)) for c in reason))
    text = open(path, 'rb').read().decode('utf-8', errors='replace').lower() if os.path.exists(path) else ''
    unmentioned = []
    for r in read_table(f'{exp}/review.csv'):
        tokens = re.findall(TOKEN, r['who'].lower())
        if tokens and not any(tok in text for tok in tokens):
            unmentioned.append(r['who'])
    return len(rows), without, unmentioned


# ---------------------------------------------------------------------------------------------- driver

def run_case(roster, recipes, src, portal, keep):
    tmp = tempfile.mkdtemp(prefix=f'roster-{portal}-')
    case = os.path.join(tmp, 'case')
    shutil.copytree(src, case)
    args = []
    with open(os.path.join(case, 'params.txt'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#') or '=' not in line:
                continue
            name, value = line.split('=', 1)
            if name == 'out':
                value = os.path.join(case, value)
            elif os.path.exists(os.path.join(case, value)):
                value = os.path.join(case, value)
            args += ['--param', f'{name}={value}']
    cmd = [roster, os.path.join(recipes, portal, 'rollover.roster')] + args
    try:
        p = subprocess.run(cmd, cwd=case, capture_output=True, text=True, timeout=TIMEOUT)
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, err = 'timeout', (e.stderr or b'').decode('utf-8', 'replace') if isinstance(e.stderr, bytes) else ''
    except OSError as e:
        rc, err = 'could not start', str(e)
    return tmp, case, rc, err


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('roster')
    ap.add_argument('recipes')
    ap.add_argument('sim')
    ap.add_argument('--only', help='PORTAL or PORTAL/YEAR')
    ap.add_argument('--keep', action='store_true', help='keep the temp dirs (printed)')
    a = ap.parse_args()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    roster = os.path.abspath(a.roster) if os.path.exists(a.roster) else a.roster
    recipes = os.path.abspath(a.recipes)
    passed = failed = 0
    for portal in PORTALS:
        pdir = os.path.join(a.sim, portal)
        if not os.path.isdir(pdir):
            continue
        for year in sorted(os.listdir(pdir)):
            if a.only and a.only not in (portal, f'{portal}/{year}'):
                continue
            src = os.path.join(pdir, year)
            tmp, case, rc, err = run_case(roster, recipes, src, portal, a.keep)
            exp, out = os.path.join(case, 'expected'), os.path.join(case, 'out')
            label = f'{portal} {year}'
            if rc != 0:
                failed += 2
                print(f'FAIL {label}: recipe exited {rc}')
                for line in err.strip().splitlines()[-12:]:
                    print(f'    | {line}')
                print(f'FAIL {label} plan: no change report (the recipe failed)')
            else:
                want, got, acc, notes = COMPARE[portal](exp, out)
                acc, excuse = excused(acc, exp, out)
                notes += [f'withheld for review by both, not an accident: {a}' for a in excuse]
                wrong = sorted(set(got) - set(want), key=show)
                missing = sorted(set(want) - set(got), key=show)
                dups = len(got) - len(set(got))
                withheld, noreason, unmentioned = review_check(exp, out)
                hard = [n for n in notes if n.startswith('FAIL')]
                ok = not (wrong or missing or acc or noreason or hard)
                passed += ok
                failed += not ok
                print(f'{"ok  " if ok else "FAIL"} {label}: expected {len(want)}, uploaded {len(got)}, '
                      f'wrong {len(wrong)}, missing {len(missing)}, accidents {len(acc)}, '
                      f'withheld {withheld} ({noreason} without a reason)')
                for k in wrong:
                    print(f'    wrong:    {show(k)}')
                for k in missing:
                    print(f'    missing:  {show(k)}')
                for s in acc:
                    print(f'    accident: {s}')
                if dups:
                    print(f'    note:     {dups} duplicate row(s) in the upload')
                for n in notes:
                    print(f'    note:     {n}')
                for w in unmentioned:
                    print(f'    note:     not in to-review.csv although the oracle withholds it: {w}')
                res = plan_check(portal, case, exp, out)
                if res is None:
                    failed += 1
                    print(f'FAIL {label} plan: no out/change-report.csv')
                else:
                    npred, nstate, bad = res
                    passed += not bad
                    failed += bool(bad)
                    print(f'{"ok  " if not bad else "FAIL"} {label} plan: predicted active {npred}, '
                          f'state-after {nstate}, mismatches {len(bad)}')
                    for b in bad:
                        print(f'    plan:     {b}')
            if a.keep:
                print(f'    kept:     {case}')
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    print(f'{passed} passed, {failed} failed')
    sys.exit(0 if failed == 0 and passed > 0 else 1)


if __name__ == '__main__':
    main()
