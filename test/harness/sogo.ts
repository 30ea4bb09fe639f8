// SOGo 5.8 (Debian's package) with its own memcached, on the harness's PostgreSQL cluster. Every setting is
// given on sogod's command line: GNUstep's argument domain outranks /etc/sogo/sogo.conf and the user defaults
// (which GNUstep reads from the sogo user's passwd home, /var/lib/sogo, whatever $HOME says), so nothing
// outside the harness temp dir is read for configuration or written.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetch } from 'undici';
import type { Postgres } from './postgres.ts';
import type { Launch } from './processes.ts';
import { giveTo, tcpAnswers, waitUntilReady } from './processes.ts';
import { basicAuth } from './seed.ts';

const DB_PASSWORD = 'sogo-db';

export interface SogoUser {
  username: string;
  password: string;
  fullName: string;
  email: string;
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function startSogo(dir: string, ports: { http: number; memcached: number }, pg: Postgres, user: SogoUser, launch: Launch): Promise<void> {
  await pg.sql('postgres', 'postgres', `CREATE USER sogo PASSWORD ${sqlText(DB_PASSWORD)}; CREATE DATABASE sogo OWNER sogo;`);
  // The user source: a plain SQL table (SOGo creates its own sogo_* tables on first use).
  await pg.sql(
    'sogo',
    'sogo',
    `CREATE TABLE sogo_users (c_uid VARCHAR(128) PRIMARY KEY, c_name VARCHAR(128), c_password VARCHAR(256), c_cn VARCHAR(256), mail VARCHAR(256));
     INSERT INTO sogo_users VALUES (${[user.username, user.username, user.password, user.fullName, user.email].map(sqlText).join(', ')});`,
  );
  await mkdir(join(dir, 'home'));
  await giveTo('sogo', dir);
  const memcached = launch('memcached', '/usr/bin/memcached', ['-l', '127.0.0.1', '-p', String(ports.memcached), '-U', '0', '-m', '32'], {
    cwd: dir,
    user: 'sogo',
  });
  const db = `postgresql://sogo:${DB_PASSWORD}@127.0.0.1:${pg.port}/sogo`;
  const args = [
    '-WONoDetach',
    'YES',
    '-WOPort',
    `127.0.0.1:${ports.http}`,
    '-WOWorkersCount',
    '1',
    '-WOLogFile',
    '-',
    '-WOPidFile',
    join(dir, 'sogo.pid'),
    '-SOGoProfileURL',
    `${db}/sogo_user_profile`,
    '-OCSFolderInfoURL',
    `${db}/sogo_folder_info`,
    '-OCSSessionsFolderURL',
    `${db}/sogo_sessions_folder`,
    '-OCSEMailAlarmsFolderURL',
    `${db}/sogo_alarms_folder`,
    '-OCSStoreURL',
    `${db}/sogo_store`,
    '-OCSAclURL',
    `${db}/sogo_acl`,
    '-OCSCacheFolderURL',
    `${db}/sogo_cache_folder`,
    '-SOGoMemcachedHost',
    `127.0.0.1:${ports.memcached}`,
    '-SOGoTimeZone',
    'UTC',
    '-SOGoMailDomain',
    user.email.split('@')[1] ?? 'sogo.test',
    '-SOGoAppointmentSendEMailNotifications',
    'NO',
    // No IMAP server: mail is not tested, and nothing listens on port 9 (discard).
    '-SOGoIMAPServer',
    'imap://127.0.0.1:9',
    '-SOGoUserSources',
    `({ type = sql; id = directory; viewURL = "${db}/sogo_users"; canAuthenticate = YES; isAddressBook = NO; userPasswordAlgorithm = plain; })`,
  ];
  const sogo = launch('sogo', '/usr/sbin/sogod', args, {
    cwd: dir,
    user: 'sogo',
    env: { HOME: join(dir, 'home') },
    // SIGTERM makes the watchdog wait ~15 s for its idle worker (which sits in a process group of its own).
    stop: { killChildrenAfterMs: 200 },
  });
  await waitUntilReady(memcached, `127.0.0.1:${ports.memcached}`, () => tcpAnswers('127.0.0.1', ports.memcached));
  await waitUntilReady(sogo, `127.0.0.1:${ports.http}`, () => tcpAnswers('127.0.0.1', ports.http));
  // The first authenticated request creates the personal calendar and address book; the worker may still be
  // starting when the watchdog already accepts connections.
  const auth = basicAuth(user.username, user.password);
  let last = '';
  for (let attempt = 0; attempt < 60; attempt++) {
    const answers = await Promise.all(
      ['Calendar', 'Contacts'].map(async (home) => {
        const res = await fetch(`http://127.0.0.1:${ports.http}/SOGo/dav/${user.username}/${home}/`, {
          method: 'PROPFIND',
          headers: { Authorization: auth, Depth: '1', 'Content-Type': 'application/xml' },
          body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>',
        }).catch((err: Error) => ({ status: 0, text: async () => err.message }));
        last = `${home}: ${res.status} ${(await res.text()).slice(0, 200)}`;
        return res.status;
      }),
    );
    if (answers.every((s) => s === 207)) return;
    await sleep(250);
  }
  throw new Error(`SOGo did not serve ${user.username}'s homes (last answer ${last})`);
}
