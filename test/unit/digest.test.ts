import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  chooseChallenge,
  digestAuthorization,
  digestStateFromChallenge,
  encodeExtValue,
  parseWwwAuthenticate,
} from '../../electron/engine/net/digest.ts';
import type { AuthChallenge, DigestState } from '../../electron/engine/net/digest.ts';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

// RFC 7616 §3.9.1.
const RFC = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  method: 'GET',
  uri: '/dir/index.html',
};

function rfcChallenge(algorithm: string): AuthChallenge {
  const [c] = parseWwwAuthenticate([`Digest realm="${RFC.realm}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC.nonce}", opaque="${RFC.opaque}"`]);
  return c!;
}

function paramsOf(header: string): Record<string, string> {
  return { ...parseWwwAuthenticate([header])[0]!.params };
}

describe('parseWwwAuthenticate', () => {
  it('splits several challenges in one header, respecting commas inside quoted strings', () => {
    const cs = parseWwwAuthenticate(['Digest realm="a, b", qop="auth,auth-int", nonce="x", Basic realm="y"']);
    expect(cs.map((c) => c.scheme)).toEqual(['digest', 'basic']);
    expect({ ...cs[0]!.params }).toEqual({ realm: 'a, b', qop: 'auth,auth-int', nonce: 'x' });
    expect({ ...cs[1]!.params }).toEqual({ realm: 'y' });
  });

  it('unescapes quoted-pairs (RFC 7235 §4.1 example)', () => {
    const cs = parseWwwAuthenticate(['Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"']);
    expect(cs).toHaveLength(2);
    expect({ ...cs[0]!.params }).toEqual({ realm: 'apps', type: '1', title: 'Login to "apps"' });
    expect(cs[1]!.scheme).toBe('basic');
    expect(cs[1]!.params.realm).toBe('simple');
    expect(parseWwwAuthenticate(['Basic realm="back\\\\slash"'])[0]!.params.realm).toBe('back\\slash');
  });

  it('reads token68 and tells it from a following auth-param challenge', () => {
    const cs = parseWwwAuthenticate(['Negotiate YII+/abc==, Basic realm="x"', 'Bearer abc=']);
    expect(cs.map((c) => [c.scheme, c.token68])).toEqual([
      ['negotiate', 'YII+/abc=='],
      ['basic', undefined],
      ['bearer', 'abc='],
    ]);
    expect(Object.keys(cs[0]!.params)).toEqual([]);
  });

  it('handles several header lines, case, whitespace, empty list elements and bare schemes', () => {
    const cs = parseWwwAuthenticate(['DIGEST Realm = "R" , NONCE=abc/def==', ' , Basic, Digest nonce="n" ,, ', 'Bearer']);
    expect(cs.map((c) => c.scheme)).toEqual(['digest', 'basic', 'digest', 'bearer']);
    expect({ ...cs[0]!.params }).toEqual({ realm: 'R', nonce: 'abc/def==' });
    expect(Object.keys(cs[1]!.params)).toEqual([]);
    expect(cs[2]!.params.nonce).toBe('n');
  });

  it('keeps the first of duplicated parameters and survives an unterminated quote', () => {
    expect(parseWwwAuthenticate(['Basic realm="a", realm="b"'])[0]!.params.realm).toBe('a');
    expect(parseWwwAuthenticate(['Basic realm="open'])[0]!.params.realm).toBe('open');
  });
});

describe('digestStateFromChallenge', () => {
  it('prefers qop auth, defaults to MD5, reads stale, userhash and opaque', () => {
    const s = digestStateFromChallenge(parseWwwAuthenticate(['Digest realm="r", nonce="n", qop="auth-int,auth", stale=TRUE, userhash=true, opaque="o"'])[0]!);
    expect(s).toEqual({ realm: 'r', nonce: 'n', opaque: 'o', algorithm: 'MD5', qop: 'auth', nc: 0, userhash: true, stale: true });
  });

  it('normalizes the algorithm name and refuses what it cannot answer', () => {
    const parse = (h: string) => digestStateFromChallenge(parseWwwAuthenticate([h])[0]!);
    expect(parse('Digest realm="r", nonce="n", algorithm=sha-256-SESS')!.algorithm).toBe('SHA-256-sess');
    expect(parse('Digest realm="r", nonce="n", algorithm=SHA-512-256')).toBeNull();
    expect(parse('Digest realm="r", nonce="n", qop="auth-int"')).toBeNull();
    expect(parse('Digest realm="r"')).toBeNull();
    expect(parse('Basic realm="r"')).toBeNull();
    expect(parse('Digest realm="r", nonce="n"')!.qop).toBeNull(); // RFC 2069 server
  });
});

describe('digestAuthorization', () => {
  const input = { username: RFC.username, password: RFC.password, method: RFC.method, uri: RFC.uri, cnonce: RFC.cnonce };

  it('matches the RFC 7616 §3.9.1 MD5 example, header included', () => {
    const { header, state } = digestAuthorization(digestStateFromChallenge(rfcChallenge('MD5'))!, input);
    expect(header).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
        'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="8ca523f5e9506fed4657c9700eebdbec", ' +
        'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    expect(state.nc).toBe(1);
  });

  it('matches the RFC 7616 §3.9.1 SHA-256 example', () => {
    const { header } = digestAuthorization(digestStateFromChallenge(rfcChallenge('SHA-256'))!, input);
    expect(paramsOf(header).response).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(paramsOf(header).algorithm).toBe('SHA-256');
  });

  it('matches the RFC 2617 §3.5 example', () => {
    const state: DigestState = {
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      algorithm: 'MD5',
      qop: 'auth',
      nc: 0,
      userhash: false,
      stale: false,
    };
    const { header } = digestAuthorization(state, {
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: '0a4f113b',
    });
    expect(paramsOf(header).response).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('answers an RFC 2069 server (no qop) without nc, cnonce or qop', () => {
    const state = digestStateFromChallenge(parseWwwAuthenticate(['Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"'])[0]!)!;
    const p = paramsOf(digestAuthorization(state, { username: 'Mufasa', password: 'CircleOfLife', method: 'GET', uri: '/dir/index.html', cnonce: 'c' }).header);
    expect(p.response).toBe('1949323746fe6a43ef61f9606e7febea');
    expect(p.nc).toBeUndefined();
    expect(p.cnonce).toBeUndefined();
    expect(p.qop).toBeUndefined();
  });

  it('computes -sess A1 from H(user:realm:pass):nonce:cnonce', () => {
    const state = digestStateFromChallenge(rfcChallenge('SHA-256-sess'))!;
    const ha1 = sha256(`${sha256(`${RFC.username}:${RFC.realm}:${RFC.password}`)}:${RFC.nonce}:${RFC.cnonce}`);
    const expected = sha256(`${ha1}:${RFC.nonce}:00000001:${RFC.cnonce}:auth:${sha256(`${RFC.method}:${RFC.uri}`)}`);
    expect(paramsOf(digestAuthorization(state, input).header).response).toBe(expected);
  });

  it('increments nc across calls on the same nonce, without touching the old state', () => {
    const s0 = digestStateFromChallenge(rfcChallenge('MD5'))!;
    const first = digestAuthorization(s0, input);
    const second = digestAuthorization(first.state, { ...input, uri: '/dir/other.html' });
    expect(paramsOf(first.header).nc).toBe('00000001');
    expect(paramsOf(second.header).nc).toBe('00000002');
    expect(paramsOf(second.header).nonce).toBe(RFC.nonce);
    expect(second.state.nc).toBe(2);
    expect(s0.nc).toBe(0);
    const ha1 = md5(`${RFC.username}:${RFC.realm}:${RFC.password}`);
    expect(paramsOf(second.header).response).toBe(md5(`${ha1}:${RFC.nonce}:00000002:${RFC.cnonce}:auth:${md5('GET:/dir/other.html')}`));
    expect(paramsOf(digestAuthorization({ ...s0, nc: 0x1a }, input).header).nc).toBe('0000001b');
  });

  it('sends a non-ASCII username as username* (RFC 7616 §3.4.4, §3.9.2 name)', () => {
    expect(encodeExtValue('Jäsøn Doe')).toBe("UTF-8''J%C3%A4s%C3%B8n%20Doe");
    const state: DigestState = { realm: 'api@example.org', nonce: 'n', algorithm: 'SHA-256', qop: 'auth', nc: 0, userhash: false, stale: false };
    const { header } = digestAuthorization(state, { username: 'Jäsøn Doe', password: 'Secret, or not?', method: 'GET', uri: '/doe.json', cnonce: 'c' });
    expect(header).toContain("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, ");
    expect(paramsOf(header).username).toBeUndefined();
  });

  it('with userhash sends H(username:realm) and still uses the plain name in A1', () => {
    const state: DigestState = { realm: 'api@example.org', nonce: 'n', algorithm: 'SHA-256', qop: 'auth', nc: 0, userhash: true, stale: false };
    const { header } = digestAuthorization(state, { username: 'Jäsøn Doe', password: 'pw', method: 'GET', uri: '/doe.json', cnonce: 'c' });
    const p = paramsOf(header);
    expect(p.username).toBe(sha256('Jäsøn Doe:api@example.org'));
    expect(p.userhash).toBe('true');
    expect(header).not.toContain('username*');
    const ha1 = sha256('Jäsøn Doe:api@example.org:pw');
    expect(p.response).toBe(sha256(`${ha1}:n:00000001:c:auth:${sha256('GET:/doe.json')}`));
  });

  it('escapes quotes and backslashes so the header parses back to the same values', () => {
    const state: DigestState = { realm: 'r"e\\alm', nonce: 'n"1', opaque: 'o\\', algorithm: 'MD5', qop: 'auth', nc: 0, userhash: false, stale: false };
    const { header } = digestAuthorization(state, { username: 'a"b\\c', password: 'p', method: 'REPORT', uri: '/cal/?x="1"', cnonce: 'c' });
    expect(header).toContain('username="a\\"b\\\\c"');
    const p = paramsOf(header);
    expect([p.username, p.realm, p.nonce, p.opaque, p.uri]).toEqual(['a"b\\c', 'r"e\\alm', 'n"1', 'o\\', '/cal/?x="1"']);
  });
});

describe('chooseChallenge', () => {
  const pick = (h: string[]) => {
    const c = chooseChallenge(parseWwwAuthenticate(h));
    return c && `${c.scheme} ${c.params.algorithm ?? ''}`.trim();
  };

  it('prefers Digest SHA-256, then Digest MD5, then Basic', () => {
    expect(pick(['Basic realm="r", Digest realm="r", nonce="n", algorithm=MD5', 'Digest realm="r", nonce="n", algorithm=SHA-256'])).toBe('digest SHA-256');
    expect(pick(['Basic realm="r"', 'Digest realm="r", nonce="n"'])).toBe('digest');
    expect(pick(['Basic realm="r"', 'Digest realm="r", nonce="n", algorithm=SHA-512-256'])).toBe('basic');
    expect(pick(['Digest realm="r", nonce="n", qop="auth-int"', 'Negotiate abc'])).toBeNull();
    expect(chooseChallenge([])).toBeNull();
  });
});

describe('basicAuthorization', () => {
  it('encodes user:pass as UTF-8 (RFC 7617 §2.1 example) and never throws on non-Latin-1', () => {
    expect(basicAuthorization('test', '123£')).toBe('Basic dGVzdDoxMjPCow==');
    expect(basicAuthorization('José', '日本語パス')).toBe('Basic Sm9zw6k65pel5pys6Kqe44OR44K5');
    expect(basicAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });
});
