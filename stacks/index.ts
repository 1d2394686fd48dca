/**
 * The Pulumi program (package.json "main"). Exported as a function so configuration is read when the
 * engine (or the offline synth/test harness) runs it, not when the module is imported.
 */
import { buildCatalyst } from "./catalyst";
import { loadStackConfig } from "./config";

export = async () => buildCatalyst(loadStackConfig());
