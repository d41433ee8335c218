/**
 * Workshop mode: what other features use.
 * - Slack (`/fce join CODE`): `joinWorkshop(deps, {code, learnerId, displayName, channel: "slack"})`
 *   (404 unknown code, 410 ended), then `participantView(deps, code, learnerId)` for the open case
 *   (no key before the reveal) and `submitWorkshopAnswer(deps, {code, learnerId, answer})`
 *   (409 when the case is not open or already answered). `roomPath(code)` is the web room's path.
 * - The app mounts `workshopRoutes(deps)` (see routes.tsx for the API and pages).
 */
export { joinWorkshop, normaliseCode, participantView, roomPath, submitWorkshopAnswer, type JoinInput, type JoinResult, type ParticipantView, type SubmitReceipt, type SubmitWorkshopAnswerInput } from "./service.js";
export { workshopRoutes } from "./routes.js";
