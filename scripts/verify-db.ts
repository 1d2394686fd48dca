// npm run verify:db -- --help. Post-deploy and incident check of the database accounts (see README "Operations").
import { main } from "./verify/cli";
import { DB_USAGE, runDb } from "./verify/db";

main((argv, ctx) => runDb(argv, ctx), DB_USAGE);
