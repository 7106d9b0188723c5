/**
 * The command line as the user ran it, for manifests and audit records ("the exact command that
 * produced this"), with the values of options that carry secrets replaced: a connection string
 * holds the account key, a token is a bearer credential.
 */
const SECRET_OPTIONS = new Set(["--connection-string", "--token"]);

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `gatehouse <args…>` from process.argv-style arguments (node, script, then the user's). */
export function commandLine(argv: readonly string[] = process.argv): string {
  const args = argv.slice(2);
  const out: string[] = ["gatehouse"];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0 && SECRET_OPTIONS.has(a.slice(0, eq))) out.push(`${a.slice(0, eq)}=[REDACTED]`);
    else if (SECRET_OPTIONS.has(a) && i + 1 < args.length) {
      out.push(a, "[REDACTED]");
      i++;
    } else out.push(quote(a));
  }
  return out.join(" ");
}
