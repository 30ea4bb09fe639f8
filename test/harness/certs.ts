// One self-signed certificate for every TLS endpoint; being self-signed, it is also the CA tests pass as --ca.
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface Certificate {
  certFile: string;
  keyFile: string;
  pem: string;
  /** "sha256//BASE64" of the DER SubjectPublicKeyInfo (the curl --pinnedpubkey form). */
  spkiPin: string;
}

export function spkiPin(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256//${createHash('sha256').update(spki).digest('base64')}`;
}

export async function makeCertificate(dir: string, hostNames: readonly string[]): Promise<Certificate> {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const san = [...hostNames, 'localhost']
    .map((h) => `DNS:${h}`)
    .concat('IP:127.0.0.1', 'IP:::1')
    .join(',');
  // EC P-256: generated in milliseconds, unlike RSA.
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '3650',
    '-subj',
    '/CN=dav.example.test',
    '-addext',
    `subjectAltName=${san}`,
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  const pem = await readFile(certFile, 'utf8');
  return { certFile, keyFile, pem, spkiPin: spkiPin(pem) };
}
