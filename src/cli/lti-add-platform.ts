/** `npm run lti:add-platform -- --issuer URL --client-id ID --auth-url URL --token-url URL --jwks-url URL --deployment-id ID` */
import { addPlatformCommand } from "../channels/lti/node/add-platform.js";

const result = await addPlatformCommand(process.argv.slice(2));
for (const line of result.out) console.log(line);
for (const line of result.err) console.error(line);
process.exitCode = result.code;
