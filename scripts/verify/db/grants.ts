// Parser for the GRANT statements printed by SHOW GRANTS (MariaDB 10.x/11.x and MySQL 8.x), and for
// the REQUIRE clause of SHOW CREATE USER. Both dialects quote identifiers with backticks; MariaDB
// prints roles without a host, puts IDENTIFIED/REQUIRE on the USAGE line, and uses single quotes for
// PROXY accounts; MySQL prints roles as `r`@`%` (several per line, comma-separated), dynamic
// privileges as bare words, and partial revokes as REVOKE lines.
// The parse never keeps a password hash: anything after IDENTIFIED is dropped token by token.

type Token = { t: "id" | "str" | "word" | "punct"; v: string };

export type Level =
  | { kind: "global" }
  | { kind: "schema"; schema: string; pattern: boolean }
  | { kind: "table"; schema: string; table: string; pattern: boolean }
  | { kind: "routine"; type: string; schema: string; name: string }
  | { kind: "proxy"; account: string };

export interface Privilege {
  name: string;
  columns?: string[];
}

export interface PrivilegeGrant {
  kind: "privileges";
  privileges: Privilege[];
  level: Level;
  grantee: string;
  grantOption: boolean;
}

export interface RoleGrant {
  kind: "role";
  roles: string[];
  grantee: string;
  adminOption: boolean;
}

export interface Revoke {
  kind: "revoke";
  privileges: Privilege[];
  level: Level;
  grantee: string;
}

export interface Ignored {
  kind: "ignored";
  text: string;
}

export interface Unparsed {
  kind: "unparsed";
  /** Re-rendered from tokens with any credential removed: safe to print. */
  text: string;
}

export type GrantStatement = PrivilegeGrant | RoleGrant | Revoke | Ignored | Unparsed;

export type TlsRequirement = "none" | "ssl" | "x509" | "specified";

function readQuoted(s: string, start: number, quote: string): [string, number] {
  let out = "";
  let i = start + 1;
  while (i < s.length) {
    const c = s[i];
    if (c === "\\" && quote !== "`" && i + 1 < s.length) {
      out += s[i + 1];
      i += 2;
    } else if (c === quote && s[i + 1] === quote) {
      out += quote;
      i += 2;
    } else if (c === quote) {
      return [out, i + 1];
    } else {
      out += c;
      i += 1;
    }
  }
  throw new Error("unterminated quote");
}

export function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "`" || c === "'" || c === '"') {
      const [v, next] = readQuoted(s, i, c);
      tokens.push({ t: c === "`" ? "id" : "str", v });
      i = next;
    } else if (/[A-Za-z0-9_$]/.test(c)) {
      const m = /^[A-Za-z0-9_$]+/.exec(s.slice(i)) as RegExpExecArray;
      tokens.push({ t: "word", v: m[0] });
      i += m[0].length;
    } else {
      tokens.push({ t: "punct", v: c });
      i += 1;
    }
  }
  return tokens;
}

const isWordToken = (tok: Token | undefined, word: string) => tok?.t === "word" && tok.v.toUpperCase() === word;

class Cursor {
  i = 0;
  constructor(readonly tokens: Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  next(): Token {
    const tok = this.tokens[this.i];
    if (!tok) throw new Error("unexpected end of statement");
    this.i += 1;
    return tok;
  }
  isWord(word: string, offset = 0): boolean {
    return isWordToken(this.peek(offset), word);
  }
  isPunct(p: string): boolean {
    const tok = this.peek();
    return tok?.t === "punct" && tok.v === p;
  }
  expectWord(word: string): void {
    if (!this.isWord(word)) throw new Error(`expected ${word}`);
    this.i += 1;
  }
  expectPunct(p: string): void {
    if (!this.isPunct(p)) throw new Error(`expected "${p}"`);
    this.i += 1;
  }
  done(): boolean {
    return this.i >= this.tokens.length || this.isPunct(";");
  }
}

const quoteId = (v: string) => "`" + v.replace(/`/g, "``") + "`";

/** Unescaped % or _ in a schema name of a grant match other schemas too. */
function isPattern(raw: string): boolean {
  return /(^|[^\\])[%_]/.test(raw);
}

function unescapePattern(raw: string): string {
  return raw.replace(/\\([%_\\])/g, "$1");
}

function readName(cur: Cursor): string {
  const tok = cur.next();
  if (tok.t === "id" || tok.t === "word" || tok.t === "str") return tok.v;
  throw new Error(`expected a name, got "${tok.v}"`);
}

/** `user`@`host`, 'user'@'host', or a bare role name. Rendered in backtick form. */
function readAccount(cur: Cursor): string {
  const user = readName(cur);
  if (!cur.isPunct("@")) return quoteId(user);
  cur.next();
  return `${quoteId(user)}@${quoteId(readName(cur))}`;
}

function readPrivilege(cur: Cursor): Privilege {
  const words: string[] = [];
  while (cur.peek()?.t === "word" && !cur.isWord("ON")) words.push(cur.next().v.toUpperCase());
  if (words.length === 0) throw new Error(`expected a privilege, got "${cur.peek()?.v ?? "end"}"`);
  const name = words.join(" ") === "ALL" ? "ALL PRIVILEGES" : words.join(" ");
  if (!cur.isPunct("(")) return { name };
  cur.next();
  const columns: string[] = [];
  while (!cur.isPunct(")")) {
    columns.push(readName(cur));
    if (cur.isPunct(",")) cur.next();
  }
  cur.next();
  return { name, columns };
}

function readPrivileges(cur: Cursor): Privilege[] {
  const privileges = [readPrivilege(cur)];
  while (cur.isPunct(",")) {
    cur.next();
    privileges.push(readPrivilege(cur));
  }
  return privileges;
}

const ROUTINE_TYPES = ["PROCEDURE", "FUNCTION", "PACKAGE"];

function readRoutineType(cur: Cursor): string | undefined {
  const type = ROUTINE_TYPES.find((t) => cur.isWord(t));
  if (!type) return undefined;
  cur.next();
  if (type === "PACKAGE" && cur.isWord("BODY")) {
    cur.next();
    return "PACKAGE BODY";
  }
  return type;
}

function readObjectPart(cur: Cursor): string {
  if (cur.isPunct("*")) {
    cur.next();
    return "*";
  }
  return readName(cur);
}

function readLevel(cur: Cursor, privileges: Privilege[]): Level {
  if (privileges.some((p) => p.name === "PROXY")) return { kind: "proxy", account: readAccount(cur) };
  if (cur.isWord("TABLE")) cur.next();
  const routineType = readRoutineType(cur);
  const first = readObjectPart(cur);
  if (!cur.isPunct(".")) throw new Error("expected a qualified object (schema.object)");
  cur.next();
  const second = readObjectPart(cur);
  if (routineType) return { kind: "routine", type: routineType, schema: first, name: second };
  if (first === "*" && second === "*") return { kind: "global" };
  if (first === "*") throw new Error("object with a wildcard schema");
  const schema = unescapePattern(first);
  if (second === "*") return { kind: "schema", schema, pattern: isPattern(first) };
  return { kind: "table", schema, table: second, pattern: isPattern(first) };
}

/** Scans the clauses after the grantee: WITH GRANT/ADMIN OPTION, REQUIRE, IDENTIFIED (skipped). */
function readTail(cur: Cursor): { grantOption: boolean; adminOption: boolean; tls?: TlsRequirement } {
  const tail = { grantOption: false, adminOption: false, tls: undefined as TlsRequirement | undefined };
  while (!cur.done()) {
    if (cur.isWord("GRANT") && cur.isWord("OPTION", 1)) tail.grantOption = true;
    if (cur.isWord("ADMIN") && cur.isWord("OPTION", 1)) tail.adminOption = true;
    // MySQL's "PASSWORD REQUIRE CURRENT" is about password changes, not transport.
    if (cur.isWord("REQUIRE") && !isWordToken(cur.tokens[cur.i - 1], "PASSWORD")) {
      cur.next();
      tail.tls = readRequire(cur);
      continue;
    }
    cur.next();
  }
  return tail;
}

function readRequire(cur: Cursor): TlsRequirement {
  const tok = cur.peek();
  const word = tok?.t === "word" ? tok.v.toUpperCase() : "";
  if (word === "NONE" || word === "SSL" || word === "X509") {
    cur.next();
    return word.toLowerCase() as TlsRequirement;
  }
  if (["ISSUER", "SUBJECT", "CIPHER"].includes(word)) return "specified";
  throw new Error("unknown REQUIRE clause");
}

function parseGrant(cur: Cursor): PrivilegeGrant | RoleGrant {
  const onIndex = cur.tokens.findIndex((tok, i) => i >= cur.i && tok.t === "word" && tok.v.toUpperCase() === "ON");
  const toIndex = cur.tokens.findIndex((tok, i) => i >= cur.i && tok.t === "word" && tok.v.toUpperCase() === "TO");
  if (onIndex === -1 || (toIndex !== -1 && toIndex < onIndex)) return parseRoleGrant(cur);
  const privileges = readPrivileges(cur);
  cur.expectWord("ON");
  const level = readLevel(cur, privileges);
  cur.expectWord("TO");
  const grantee = readAccount(cur);
  return { kind: "privileges", privileges, level, grantee, grantOption: readTail(cur).grantOption };
}

function parseRoleGrant(cur: Cursor): RoleGrant {
  const roles = [readAccount(cur)];
  while (cur.isPunct(",")) {
    cur.next();
    roles.push(readAccount(cur));
  }
  cur.expectWord("TO");
  const grantee = readAccount(cur);
  return { kind: "role", roles, grantee, adminOption: readTail(cur).adminOption };
}

function parseRevoke(cur: Cursor): Revoke {
  const privileges = readPrivileges(cur);
  cur.expectWord("ON");
  const level = readLevel(cur, privileges);
  cur.expectWord("FROM");
  return { kind: "revoke", privileges, level, grantee: readAccount(cur) };
}

/** Re-renders tokens for display, dropping every string that follows IDENTIFIED (password hashes). */
export function sanitize(statement: string): string {
  let tokens: Token[];
  try {
    tokens = tokenize(statement);
  } catch {
    return "<statement not shown: could not be tokenized safely>";
  }
  const out: string[] = [];
  let inIdentified = false;
  for (const tok of tokens) {
    const upper = tok.t === "word" ? tok.v.toUpperCase() : "";
    if (upper === "IDENTIFIED") inIdentified = true;
    // "IDENTIFIED WITH <plugin>" and "IDENTIFIED BY PASSWORD <hash>" are still the credential.
    const continuesCredential = ["IDENTIFIED", "BY"].includes((out.at(-1) ?? "").toUpperCase());
    if (["REQUIRE", "WITH", "PASSWORD", "ACCOUNT", "DEFAULT", "COMMENT", "ATTRIBUTE"].includes(upper) && !continuesCredential) {
      inIdentified = false;
    }
    if (tok.t === "str") out.push(inIdentified ? "'<redacted>'" : `'${tok.v}'`);
    else out.push(tok.t === "id" ? quoteId(tok.v) : tok.v);
  }
  return out.join(" ").replace(/ ?([.@,()]) ?/g, (_m, p: string) => (p === "," ? ", " : p === "(" ? " (" : p));
}

export function parseGrantStatement(statement: string): GrantStatement {
  try {
    const cur = new Cursor(tokenize(statement));
    if (cur.isWord("SET") && cur.isWord("DEFAULT", 1)) return { kind: "ignored", text: sanitize(statement) };
    if (cur.isWord("REVOKE")) {
      cur.next();
      return parseRevoke(cur);
    }
    cur.expectWord("GRANT");
    return parseGrant(cur);
  } catch {
    return { kind: "unparsed", text: sanitize(statement) };
  }
}

/** The account's transport requirement from SHOW CREATE USER (both dialects) or a MariaDB USAGE line. */
export function parseTlsRequirement(statement: string): TlsRequirement | undefined {
  const cur = new Cursor(tokenize(statement));
  while (!cur.done() && !cur.isWord("TO") && !(cur.isWord("USER") && cur.i === 1)) cur.next();
  if (cur.done()) return undefined;
  cur.next();
  readAccount(cur);
  return readTail(cur).tls;
}

export function renderLevel(level: Level): string {
  switch (level.kind) {
    case "global":
      return "*.*";
    case "schema":
      return `${quoteId(level.schema)}.*`;
    case "table":
      return `${quoteId(level.schema)}.${quoteId(level.table)}`;
    case "routine":
      return `${level.type} ${quoteId(level.schema)}.${quoteId(level.name)}`;
    case "proxy":
      return level.account;
  }
}

export function renderPrivilege(p: Privilege): string {
  return p.columns ? `${p.name} (${p.columns.map(quoteId).join(", ")})` : p.name;
}
