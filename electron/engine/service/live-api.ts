// The request schemas of the live-source methods (LiveApi in shared/api.ts): strict, bounded, and checked for the
// combinations a definition needs (a TLS listener needs its certificate and key; key login needs the key file).
// validate.ts folds them into the one table every transport checks against. Secrets are checked for size only
// and never appear in a message.
import path from 'node:path';
import { z } from 'zod';

const MAX_PATH_LENGTH = 4096;
/** Paths and globs one tail source follows. */
export const MAX_TAIL_PATHS = 100;
const MAX_SECRET_LENGTH = 4096;

const absolutePath = z
  .string()
  .min(1)
  .max(MAX_PATH_LENGTH)
  .refine((p) => path.isAbsolute(p), 'must be an absolute path');

const listenHost = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9._:%-]+$/, 'must be an IP address or a host name');

const secret = z.string().min(1).max(MAX_SECRET_LENGTH);

const tailSchema = z.strictObject({
  kind: z.literal('tail'),
  paths: z.array(absolutePath).min(1).max(MAX_TAIL_PATHS),
});

const syslogSchema = z
  .strictObject({
    kind: z.literal('syslog'),
    protocol: z.enum(['udp', 'tcp', 'tls']),
    host: listenHost.default('127.0.0.1'),
    port: z.int().min(0).max(65535),
    certFile: absolutePath.nullable().default(null),
    keyFile: absolutePath.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.protocol === 'tls') {
      if (!v.certFile)
        ctx.addIssue({
          code: 'custom',
          path: ['certFile'],
          message: 'a TLS listener needs a certificate file',
        });
      if (!v.keyFile)
        ctx.addIssue({ code: 'custom', path: ['keyFile'], message: 'a TLS listener needs a key file' });
    } else if (v.certFile || v.keyFile) {
      ctx.addIssue({
        code: 'custom',
        path: [v.certFile ? 'certFile' : 'keyFile'],
        message: 'only a TLS listener takes a certificate and a key',
      });
    }
  });

const sshSpecShape = {
  kind: z.literal('ssh'),
  destination: z.string().trim().min(1).max(2048),
  path: z.string().trim().min(1).max(MAX_PATH_LENGTH).nullable().default(null),
  auth: z.enum(['agent', 'key', 'password']),
  keyFile: absolutePath.nullable().default(null),
};

type SshFields = {
  auth: 'agent' | 'key' | 'password';
  keyFile: string | null;
  passphrase?: string | null;
  password?: string | null;
};

/** The pairings of login method and what it needs; `withSecrets` false for a definition read back from disk. */
function sshRules(withSecrets: boolean) {
  return (v: SshFields, ctx: z.RefinementCtx) => {
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    if (v.auth === 'key' && !v.keyFile) issue('keyFile', 'key login needs the private key file');
    if (v.auth !== 'key' && v.keyFile) issue('keyFile', 'a key file is only used with key login');
    if (!withSecrets) return;
    if (v.auth !== 'key' && v.passphrase) issue('passphrase', 'a passphrase is only used with key login');
    if (v.auth === 'password' && !v.password) issue('password', 'password login needs the password');
    if (v.auth !== 'password' && v.password) issue('password', 'a password is only used with password login');
  };
}

const sshSchema = z
  .strictObject({
    ...sshSpecShape,
    passphrase: secret.nullable().default(null),
    password: secret.nullable().default(null),
    acceptHostKey: z
      .string()
      .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be a host key fingerprint "SHA256:…"')
      .nullable()
      .default(null),
  })
  .superRefine(sshRules(true));

/** A definition without secrets, as LiveSourceSpec (what live-sources.json holds). */
export const liveSpecSchema = z.discriminatedUnion('kind', [
  tailSchema,
  syslogSchema,
  z.strictObject(sshSpecShape).superRefine(sshRules(false)),
]);

export const addLiveSourceSchema = z.discriminatedUnion('kind', [tailSchema, syslogSchema, sshSchema]);
export type ValidLiveRequest = z.output<typeof addLiveSourceSchema>;

const liveId = z.strictObject({
  id: z.string().regex(/^live-\d{1,9}$/, 'must be a live source id "live-N"'),
});

export const LIVE_SCHEMAS = {
  liveSources: z.union([z.undefined(), z.null(), z.strictObject({})]).transform(() => undefined),
  addLiveSource: addLiveSourceSchema,
  pauseLiveSource: liveId,
  resumeLiveSource: liveId,
  removeLiveSource: liveId,
} as const;
