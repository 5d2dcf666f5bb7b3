// The SSH dialog's journal read from a folder (`journalctl -D DIR` on the host): the API takes it only inside an
// ssh:// destination (`ssh://[user@]host[:port]/?journal&dir=/abs/path`), so the dialog composes that URI. The folder
// is checked as the engine's parseSshTarget checks it (absolute, only characters the remote shell takes literally),
// so a bad one is named in the dialog before anything connects.

/** The characters parseSshTarget (electron/engine/sources/live/ssh.ts) accepts in a remote path. */
const SAFE_PATH = /^[A-Za-z0-9._/\-*?[\]~+@%,:=]+$/;
/** A host as the service takes it outside a URI: `[user@]host-or-alias[:port]` (live-specs.ts HOST_FORM). */
const HOST_FORM = /^(?:([^@\s/]+)@)?([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/** Why the folder cannot be read as a journal folder, or null when it can (an empty folder is the host's journal). */
export function journalFolderProblem(dir: string): string | null {
  if (dir === '') return null;
  if (!dir.startsWith('/')) return 'The journal folder must be an absolute path on the host.';
  if (!SAFE_PATH.test(dir))
    return 'The journal folder has characters the remote shell would interpret (use letters, digits and ._/-~+@%,:=).';
  return null;
}

/** The destination the API gets for the journal in `dir` on the host `destination` names; throws a one-line reason. */
export function journalDestination(destination: string, dir: string): string {
  const problem = journalFolderProblem(dir);
  if (problem) throw new Error(problem);
  // `%` and `+` would be decoded in the query string; `/` and the rest may stay as typed.
  const query = `?journal&dir=${dir.replace(/[%+]/g, encodeURIComponent)}`;
  if (/^ssh:\/\//i.test(destination)) {
    const bare = destination.replace(/\/+$/, '');
    if (/^ssh:\/\/[^/]+\/./i.test(bare))
      throw new Error('The destination URI has a path already: remove it to read the journal.');
    return `${bare}/${query}`;
  }
  const m = HOST_FORM.exec(destination);
  if (!m) throw new Error('The destination must be an ssh:// URI or a host such as user@host:22.');
  return `ssh://${m[1] ? `${encodeURIComponent(m[1])}@` : ''}${m[2]}${m[3] ? `:${m[3]}` : ''}/${query}`;
}
