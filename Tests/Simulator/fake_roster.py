#!/usr/bin/env python3
"""A stand-in for roster, to show that compare.py works: copies ./expected/ into out/ in roster's file layout.

usage: fake_roster.py RECIPES_DIR/PORTAL/rollover.roster --param NAME=VALUE ...
The portal is the recipe's folder name; it reads ./expected/ (compare.py runs it inside a copy of the year folder).
FAKE_ROSTER_MODE: ok (default) | wrong (inject one realistic mistake per portal) | fail (exit 3 for pan) |
noreason (to-review.csv rows without a reason).
"""
import csv
import os
import sys

MODE = os.environ.get('FAKE_ROSTER_MODE', 'ok')
H_TAO = ['user_username', 'user_name', 'user_password', 'user_email', 'user_language', 'user_active', 'group_role',
         'group_name', 'user_organizationId']


def read(name):
    with open(os.path.join('expected', name), encoding='utf-8', newline='') as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def write(out, name, header, rows):
    with open(os.path.join(out, name), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows([[r.get(h, '') for h in header] for r in rows])


def main():
    recipe = sys.argv[1]
    params = dict(a.split('=', 1) for a in sys.argv[2:] if a != '--param')
    portal = os.path.basename(os.path.dirname(recipe))
    if MODE == 'fail' and portal == 'pan':
        print('rollover.roster:12:5: error: column "Disabled Reason" not found in pan-upload', file=sys.stderr)
        sys.exit(3)
    out = params['out']
    os.makedirs(out, exist_ok=True)
    _, before = read('portal-before.csv')
    if portal == 'toms':
        h, rows = read('upload.csv')
        known = {r['E-mail address'].lower() for r in before}
        if MODE == 'wrong':  # re-activates a leaver: last year's row for someone not on the staff list
            want = {r['E-mail address'].lower() for r in rows}
            rows.append(next(r for r in before if r['E-mail address'].lower() not in want))
        write(out, 'toms-activation.csv', h, [r for r in rows if r['E-mail address'].lower() in known])
        write(out, 'toms-new-users.csv', h, [r for r in rows if r['E-mail address'].lower() not in known])
    elif portal == 'mcas':
        h, add = read('add.csv')
        _, upd = read('update.csv')
        if MODE == 'wrong' and upd:  # an update that lowers a role
            upd[0] = dict(upd[0], Role='RAO')
        write(out, 'mcas-add.csv', h, add)
        write(out, 'mcas-update-001.csv', h, upd)
    elif portal == 'pass':
        h, rows = read('master.csv')
        if MODE == 'wrong':  # drops one adult (Pass archives them)
            rows = rows[1:]
        write(out, 'pass-master.csv', h, rows)
    elif portal == 'pan':
        h, rows = read('upload.csv')
        for r in rows:
            r['Action'] = r['Action'][0]  # C / U, as the seed's Action column allows codes
        if MODE == 'wrong':  # disables someone who is still on the staff list and unchanged
            touched = {r['Username'].lower() for r in rows}
            b = next(r for r in before if r['Disabled'] == 'No' and r['Username'].lower() not in touched)
            rows.append(dict(b, Action='U', Disabled='Yes', **{'Disabled Reason': 'left'}))
        write(out, 'pan-upload.csv', h, rows)
    elif portal == 'tao':
        _, after = read('state-after.csv')
        users = {r['user_username']: r for r in after + before}
        _, new = read('link-new.csv')
        _, old = read('link-existing.csv')
        _, rem = read('remove.csv')
        if MODE == 'wrong':  # ends a membership that should stay
            gone = {(r['user_username'], r['group_name']) for r in rem}
            b = next(r for r in before if r['group_name'] and (r['user_username'], r['group_name']) not in gone)
            rem.append({'user_username': b['user_username'], 'group_name': b['group_name']})
        write(out, 'link-new-user-to-groups.csv', H_TAO,
              [dict(users[r['user_username']], user_password=params['password'], **{k: r[k] for k in r})
               for r in new])
        write(out, 'link-existing-user-to-groups.csv', ['user_username', 'group_name', 'group_role'], old)
        write(out, 'update-users-and-groups.csv', H_TAO + ['group_user_active'],
              [dict(users[r['user_username']], user_password='', group_role='', group_name=r['group_name'],
                    group_user_active='FALSE') for r in rem])
    _, review = read('review.csv')
    write(out, 'to-review.csv', ['Person', 'Reason'],
          [{'Person': r['Who'], 'Reason': '' if MODE == 'noreason' else r['Why']} for r in review])


if __name__ == '__main__':
    main()
