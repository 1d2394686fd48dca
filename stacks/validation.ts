/**
 * A config reader that collects every problem instead of stopping at the first one, so an operator
 * fixes a stack's configuration in one pass. Pure: it reads through a `RawConfig` function, which the
 * stack backs with pulumi.Config and tests back with a plain object.
 */
export type RawConfig = (key: string) => string | undefined;

export interface Problem {
  key: string;
  problem: string;
  fix: string;
}

export class ConfigProblems extends Error {
  constructor(
    public readonly namespace: string,
    public readonly problems: readonly Problem[],
  ) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was deployed:\n` +
        problems.map((p) => `  - ${namespace}:${p.key}: ${p.problem}\n      fix: ${p.fix}`).join("\n"),
    );
    this.name = "ConfigProblems";
  }
}

interface Common<T> {
  default?: T;
  /** Example value shown in the fix text. */
  example: string;
  secret?: boolean;
}

/** What the reader learned about a key while reading it: the source of the configuration reference. */
export interface KeyInfo {
  key: string;
  kind: "string" | "integer" | "boolean" | "array" | "object";
  default?: string;
  example: string;
  secret: boolean;
  required: boolean;
}

export class ConfigReader {
  private readonly problems: Problem[] = [];
  /** Every key read, in reading order. */
  readonly keys = new Map<string, KeyInfo>();

  constructor(
    private readonly namespace: string,
    private readonly raw: RawConfig,
  ) {}

  report(key: string, problem: string, fix: string): void {
    this.problems.push({ key, problem, fix });
  }

  /**
   * The provider's `aws:region` (another namespace, so read through `rawAws`); reported under the
   * pseudo-key "(aws:region)" with the other problems. Returns "" when missing or invalid.
   */
  awsRegion(rawAws: RawConfig, check: (v: string) => string | undefined): string {
    const region = rawAws("region");
    const problem = region === undefined ? "aws:region is required but not set" : check(region) && `aws:region ${JSON.stringify(region)} ${check(region)}`;
    if (problem) this.report("(aws:region)", problem, "pulumi config set aws:region eu-west-1");
    return problem ? "" : (region ?? "");
  }

  /** True when no problem has been reported for these keys: cross-key checks only make sense on valid values. */
  valid(...keys: string[]): boolean {
    return !this.problems.some((p) => keys.includes(p.key));
  }

  /** Throws one ConfigProblems listing everything reported so far. */
  finish(): void {
    if (this.problems.length > 0) throw new ConfigProblems(this.namespace, this.problems);
  }

  private note(key: string, kind: KeyInfo["kind"], c: { default?: unknown; example: string; secret?: boolean }, required = c.default === undefined): void {
    const dflt = c.default === undefined ? undefined : typeof c.default === "string" ? c.default : JSON.stringify(c.default);
    if (!this.keys.has(key)) this.keys.set(key, { key, kind, default: dflt, example: c.example, secret: c.secret === true, required });
  }

  private setFix(key: string, c: Common<unknown>): string {
    const flag = c.secret ? " --secret" : "";
    return `pulumi config set${flag} ${this.namespace}:${key} '${c.example}'`;
  }

  private fail<T>(key: string, problem: string, c: Common<T>): T | undefined {
    this.report(key, problem, this.setFix(key, c));
    return c.default;
  }

  /** The raw value, or the default; reports a missing required key. Values are never echoed when secret. */
  private text<T>(key: string, c: Common<T>): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === "") {
      if (c.default === undefined) this.fail(key, "is required but not set", c);
      return undefined;
    }
    return value;
  }

  private shown(value: string, c: Common<unknown>): string {
    return c.secret ? "(secret value)" : JSON.stringify(value);
  }

  string(key: string, c: Common<string> & { pattern?: RegExp; rule?: string; check?: (v: string) => string | undefined }): string {
    this.note(key, "string", c);
    const value = this.text(key, c);
    if (value === undefined) return c.default ?? "";
    if (c.pattern && !c.pattern.test(value)) return this.fail(key, `${this.shown(value, c)} ${c.rule ?? `must match ${c.pattern}`}`, c) ?? "";
    const problem = c.check?.(value);
    if (problem) return this.fail(key, `${this.shown(value, c)} ${problem}`, c) ?? "";
    return value;
  }

  optionalString(
    key: string,
    c: Omit<Common<string>, "default"> & { pattern?: RegExp; rule?: string; check?: (v: string) => string | undefined },
  ): string | undefined {
    this.note(key, "string", c, false);
    if (this.raw(key) === undefined || this.raw(key) === "") return undefined;
    const value = this.string(key, c);
    return value === "" ? undefined : value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], c: Common<T>): T {
    this.note(key, "string", c);
    const value = this.text(key, c);
    if (value === undefined) return c.default as T;
    if (!(allowed as readonly string[]).includes(value)) {
      return this.fail(key, `${JSON.stringify(value)} is not one of: ${allowed.join(", ")}`, c) as T;
    }
    return value as T;
  }

  integer(key: string, c: Common<number> & { min?: number; max?: number; allowed?: readonly number[] }): number {
    this.note(key, "integer", c);
    const value = this.text(key, c);
    if (value === undefined) return c.default ?? 0;
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) return this.fail(key, `${JSON.stringify(value)} is not a whole number`, c) ?? 0;
    if (c.allowed && !c.allowed.includes(n)) return this.fail(key, `${n} is not one of: ${c.allowed.join(", ")}`, c) ?? 0;
    if (c.min !== undefined && n < c.min) return this.fail(key, `${n} is below the minimum ${c.min}`, c) ?? 0;
    if (c.max !== undefined && n > c.max) return this.fail(key, `${n} is above the maximum ${c.max}`, c) ?? 0;
    return n;
  }

  boolean(key: string, c: Common<boolean>): boolean {
    this.note(key, "boolean", c);
    const value = this.text(key, c);
    if (value === undefined) return c.default ?? false;
    if (value !== "true" && value !== "false") return this.fail(key, `${JSON.stringify(value)} is not true or false`, c) ?? false;
    return value === "true";
  }

  /** A JSON array of strings (how Pulumi stores `type: array` config), each element checked. */
  stringList(key: string, c: Common<string[]> & { item?: (v: string) => string | undefined; minItems?: number }): string[] {
    this.note(key, "array", c);
    const value = this.text(key, c);
    if (value === undefined) return c.default ?? [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return this.fail(key, "is not a JSON array of strings", c) ?? [];
    }
    if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== "string")) return this.fail(key, "is not a JSON array of strings", c) ?? [];
    const items = parsed as string[];
    if (c.minItems !== undefined && items.length < c.minItems) return this.fail(key, `needs at least ${c.minItems} item(s)`, c) ?? [];
    const bad = items.map((v, i) => [i, c.item?.(v)] as const).filter(([, p]) => p !== undefined);
    for (const [i, p] of bad) this.fail(key, `item ${i} ${c.secret ? "(secret value)" : JSON.stringify(items[i])} ${p}`, c);
    return bad.length ? (c.default ?? []) : items;
  }

  /** A JSON object of numbers whose keys must come from `defaults`; unknown keys are reported (typos). */
  numberMap<K extends string>(key: string, defaults: Record<K, number>, c: Omit<Common<never>, "default">): Record<K, number> {
    this.note(key, "object", { ...c, default: defaults });
    const value = this.raw(key);
    if (value === undefined || value === "") return { ...defaults };
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      this.report(key, "is not a JSON object of numbers", this.setFix(key, c));
      return { ...defaults };
    }
    const result = { ...defaults };
    for (const [k, v] of Object.entries(parsed)) {
      if (!(k in defaults)) this.report(key, `has unknown key ${JSON.stringify(k)} (known: ${Object.keys(defaults).join(", ")})`, this.setFix(key, c));
      else if (typeof v !== "number" || !Number.isFinite(v) || v < 0) this.report(key, `${k} must be a non-negative number`, this.setFix(key, c));
      else result[k as K] = v;
    }
    return result;
  }
}
