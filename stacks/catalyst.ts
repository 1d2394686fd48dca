/**
 * Composition of the Catalyst stack from typed, validated configuration. Each block below is owned by
 * one concern (infra/<concern>/); wiring between concerns happens only here.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";

export interface CatalystOutputs {
  [key: string]: unknown;
}

export function buildCatalyst(cfg: StackConfig): CatalystOutputs {
  const protect = cfg.production;
  const appUrl = `https://${cfg.domain}`;

  // --- network (infra/network) -------------------------------------------------------------

  // --- data (infra/database, infra/backup) ----------------------------------------------------

  // --- edge (infra/edge) -------------------------------------------------------------------------

  // --- compute (infra/compute) -------------------------------------------------------------------

  // --- observability (infra/observability) ---------------------------------------------------------

  return {
    appUrl: pulumi.output(appUrl),
    protectedStatefulResources: protect,
  };
}
