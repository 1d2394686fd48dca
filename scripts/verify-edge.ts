// npm run verify:edge -- --help. Post-deploy and incident check of the public endpoint (see README "Operations").
import { main } from "./verify/cli";
import { EDGE_USAGE, runEdge } from "./verify/edge";

main((argv, ctx) => runEdge(argv, ctx), EDGE_USAGE);
