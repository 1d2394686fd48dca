// npm run migrate -- --help. Runs the database migrations on the cluster before the services roll (see README "Deploy order").
import { EXIT_CANNOT_RUN } from "./lib/migrate/runner";
import { migrateCli, realDeps } from "./lib/migrate/cli";

migrateCli(process.argv.slice(2), realDeps).then(
  (code) => process.exit(code),
  () => process.exit(EXIT_CANNOT_RUN),
);
