/**
 * The @lti-tool/core storage adapter on drizzle (SQLite on Node, D1 on Workers): platforms
 * ("clients"), deployments, login state + nonces, launch sessions and dynamic-registration sessions.
 * Every query is awaited and atomic on its own (no interactive transactions).
 */
import type { LTIClient, LTIDeployment, LTIDynamicRegistrationSession, LTILaunchConfig, LTISession, LTIStorage } from "@lti-tool/core";
import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import { ltiDeployments, ltiLoginRequests, ltiPlatforms, ltiRegistrationSessions, ltiSessions } from "../../db/schema/index.js";
import type { AppDatabase } from "../../db/types.js";
import type { Clock } from "../../ports.js";
import { newLtiId } from "./util.js";

export type PlatformRow = typeof ltiPlatforms.$inferSelect;
export type LoginRequestRow = typeof ltiLoginRequests.$inferSelect;

export interface NewPlatform {
  name: string;
  issuer: string;
  clientId: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
}

function toClient(row: PlatformRow): Omit<LTIClient, "deployments"> {
  return { id: row.id, name: row.name, iss: row.issuer, clientId: row.clientId, authUrl: row.authUrl, tokenUrl: row.tokenUrl, jwksUrl: row.jwksUrl };
}

function toDeployment(row: typeof ltiDeployments.$inferSelect): LTIDeployment {
  return { id: row.id, deploymentId: row.deploymentId, ...(row.name ? { name: row.name } : {}), ...(row.description ? { description: row.description } : {}) };
}

export class DrizzleLtiStorage implements LTIStorage {
  constructor(
    private readonly db: AppDatabase,
    private readonly clock: Clock,
    private readonly sessionTtlSeconds = 2 * 60 * 60,
  ) {}

  // ---- platforms ("clients") -------------------------------------------------------------------

  /** Adds a platform, or updates the endpoints of the (issuer, client_id) already registered. Returns its id. */
  async upsertPlatform(p: NewPlatform): Promise<string> {
    const now = this.clock.now();
    const rows = await this.db
      .insert(ltiPlatforms)
      .values({ id: newLtiId("plt"), ...p, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [ltiPlatforms.issuer, ltiPlatforms.clientId],
        set: { name: p.name, authUrl: p.authUrl, tokenUrl: p.tokenUrl, jwksUrl: p.jwksUrl, updatedAt: now },
      })
      .returning({ id: ltiPlatforms.id });
    return rows[0]!.id;
  }

  async platformsByIssuer(issuer: string): Promise<PlatformRow[]> {
    return this.db.select().from(ltiPlatforms).where(eq(ltiPlatforms.issuer, issuer));
  }

  async platform(issuer: string, clientId: string): Promise<PlatformRow | undefined> {
    const rows = await this.db
      .select()
      .from(ltiPlatforms)
      .where(and(eq(ltiPlatforms.issuer, issuer), eq(ltiPlatforms.clientId, clientId)))
      .limit(1);
    return rows[0];
  }

  async platformById(id: string): Promise<PlatformRow | undefined> {
    const rows = await this.db.select().from(ltiPlatforms).where(eq(ltiPlatforms.id, id)).limit(1);
    return rows[0];
  }

  async hasDeployment(platformId: string, deploymentId: string): Promise<boolean> {
    const rows = await this.db
      .select({ id: ltiDeployments.id })
      .from(ltiDeployments)
      .where(and(eq(ltiDeployments.platformId, platformId), eq(ltiDeployments.deploymentId, deploymentId)))
      .limit(1);
    return rows.length > 0;
  }

  async listClients(): Promise<Omit<LTIClient, "deployments">[]> {
    const rows = await this.db.select().from(ltiPlatforms);
    return rows.map(toClient);
  }

  async getClientById(clientId: string): Promise<LTIClient | undefined> {
    const row = await this.platformById(clientId);
    if (!row) return undefined;
    return { ...toClient(row), deployments: await this.listDeployments(row.id) };
  }

  async addClient(client: Omit<LTIClient, "id" | "deployments">): Promise<string> {
    return this.upsertPlatform({
      name: client.name,
      issuer: client.iss,
      clientId: client.clientId,
      authUrl: client.authUrl,
      tokenUrl: client.tokenUrl,
      jwksUrl: client.jwksUrl,
    });
  }

  async updateClient(clientId: string, client: Partial<Omit<LTIClient, "id" | "deployments">>): Promise<void> {
    const set: Partial<typeof ltiPlatforms.$inferInsert> = { updatedAt: this.clock.now() };
    if (client.name !== undefined) set.name = client.name;
    if (client.iss !== undefined) set.issuer = client.iss;
    if (client.clientId !== undefined) set.clientId = client.clientId;
    if (client.authUrl !== undefined) set.authUrl = client.authUrl;
    if (client.tokenUrl !== undefined) set.tokenUrl = client.tokenUrl;
    if (client.jwksUrl !== undefined) set.jwksUrl = client.jwksUrl;
    await this.db.update(ltiPlatforms).set(set).where(eq(ltiPlatforms.id, clientId));
  }

  async deleteClient(clientId: string): Promise<void> {
    await this.db.delete(ltiPlatforms).where(eq(ltiPlatforms.id, clientId));
  }

  // ---- deployments -----------------------------------------------------------------------------

  async listDeployments(clientId: string): Promise<LTIDeployment[]> {
    const rows = await this.db.select().from(ltiDeployments).where(eq(ltiDeployments.platformId, clientId));
    return rows.map(toDeployment);
  }

  /** `deploymentId` is the LMS's deployment id (or our internal id). */
  async getDeployment(clientId: string, deploymentId: string): Promise<LTIDeployment | undefined> {
    const rows = await this.db
      .select()
      .from(ltiDeployments)
      .where(and(eq(ltiDeployments.platformId, clientId), or(eq(ltiDeployments.deploymentId, deploymentId), eq(ltiDeployments.id, deploymentId))))
      .limit(1);
    return rows[0] ? toDeployment(rows[0]) : undefined;
  }

  /** Adds a deployment (idempotent: an existing one keeps its id). */
  async addDeployment(clientId: string, deployment: Omit<LTIDeployment, "id">): Promise<string> {
    await this.db
      .insert(ltiDeployments)
      .values({
        id: newLtiId("dep"),
        platformId: clientId,
        deploymentId: deployment.deploymentId,
        name: deployment.name ?? null,
        description: deployment.description ?? null,
        createdAt: this.clock.now(),
      })
      .onConflictDoNothing();
    const rows = await this.db
      .select({ id: ltiDeployments.id })
      .from(ltiDeployments)
      .where(and(eq(ltiDeployments.platformId, clientId), eq(ltiDeployments.deploymentId, deployment.deploymentId)))
      .limit(1);
    return rows[0]!.id;
  }

  async updateDeployment(clientId: string, deploymentId: string, deployment: Partial<LTIDeployment>): Promise<void> {
    const set: Partial<typeof ltiDeployments.$inferInsert> = {};
    if (deployment.deploymentId !== undefined) set.deploymentId = deployment.deploymentId;
    if (deployment.name !== undefined) set.name = deployment.name;
    if (deployment.description !== undefined) set.description = deployment.description;
    if (Object.keys(set).length === 0) return;
    await this.db
      .update(ltiDeployments)
      .set(set)
      .where(and(eq(ltiDeployments.platformId, clientId), or(eq(ltiDeployments.deploymentId, deploymentId), eq(ltiDeployments.id, deploymentId))));
  }

  async deleteDeployment(clientId: string, deploymentId: string): Promise<void> {
    await this.db
      .delete(ltiDeployments)
      .where(and(eq(ltiDeployments.platformId, clientId), or(eq(ltiDeployments.deploymentId, deploymentId), eq(ltiDeployments.id, deploymentId))));
  }

  // ---- launch configuration (the library's view of platform + deployment) ----------------------

  async getLaunchConfig(iss: string, clientId: string, deploymentId: string): Promise<LTILaunchConfig | undefined> {
    const p = await this.platform(iss, clientId);
    if (!p || !(await this.hasDeployment(p.id, deploymentId))) return undefined;
    return { iss: p.issuer, clientId: p.clientId, deploymentId, authUrl: p.authUrl, tokenUrl: p.tokenUrl, jwksUrl: p.jwksUrl };
  }

  async saveLaunchConfig(c: LTILaunchConfig): Promise<void> {
    const id = await this.upsertPlatform({ name: c.iss, issuer: c.iss, clientId: c.clientId, authUrl: c.authUrl, tokenUrl: c.tokenUrl, jwksUrl: c.jwksUrl });
    await this.addDeployment(id, { deploymentId: c.deploymentId });
  }

  // ---- login state and nonces ------------------------------------------------------------------

  async createLoginRequest(r: { nonce: string; state: string; platformId: string; deploymentId?: string; targetLinkUri: string; expiresAt: Date }): Promise<void> {
    await this.db.insert(ltiLoginRequests).values({
      nonce: r.nonce,
      state: r.state,
      platformId: r.platformId,
      deploymentId: r.deploymentId ?? null,
      targetLinkUri: r.targetLinkUri,
      createdAt: this.clock.now(),
      expiresAt: r.expiresAt,
    });
  }

  async loginRequest(nonce: string): Promise<LoginRequestRow | undefined> {
    const rows = await this.db.select().from(ltiLoginRequests).where(eq(ltiLoginRequests.nonce, nonce)).limit(1);
    return rows[0];
  }

  /** Marks the login (nonce + state) used, if it is still unused and unexpired. One statement: true for exactly one caller. */
  async consumeLoginRequest(nonce: string, state: string, now: Date): Promise<boolean> {
    const rows = await this.db
      .update(ltiLoginRequests)
      .set({ usedAt: now })
      .where(and(eq(ltiLoginRequests.nonce, nonce), eq(ltiLoginRequests.state, state), isNull(ltiLoginRequests.usedAt), gt(ltiLoginRequests.expiresAt, now)))
      .returning({ nonce: ltiLoginRequests.nonce });
    return rows.length === 1;
  }

  /**
   * Forgets login requests that expired more than a day ago (a used nonce is remembered until then),
   * expired launch sessions and abandoned registration forms.
   */
  async purgeExpired(now: Date): Promise<void> {
    await this.db.delete(ltiLoginRequests).where(lt(ltiLoginRequests.expiresAt, new Date(now.getTime() - 24 * 60 * 60 * 1000)));
    await this.db.delete(ltiSessions).where(lt(ltiSessions.expiresAt, now));
    await this.db.delete(ltiRegistrationSessions).where(lt(ltiRegistrationSessions.expiresAt, now));
  }

  async storeNonce(nonce: string, expiresAt: Date): Promise<void> {
    await this.db.insert(ltiLoginRequests).values({ nonce, createdAt: this.clock.now(), expiresAt }).onConflictDoNothing();
  }

  async validateNonce(nonce: string): Promise<boolean> {
    const now = this.clock.now();
    const rows = await this.db
      .update(ltiLoginRequests)
      .set({ usedAt: now })
      .where(and(eq(ltiLoginRequests.nonce, nonce), isNull(ltiLoginRequests.usedAt), gt(ltiLoginRequests.expiresAt, now)))
      .returning({ nonce: ltiLoginRequests.nonce });
    return rows.length === 1;
  }

  // ---- launch sessions -------------------------------------------------------------------------

  async addSession(session: LTISession): Promise<string> {
    const now = this.clock.now();
    await this.db.insert(ltiSessions).values({
      id: session.id,
      subject: `${session.platform.issuer}|${session.user.id}`,
      issuer: session.platform.issuer,
      clientId: session.platform.clientId,
      deploymentId: session.platform.deploymentId,
      messageType: String(session.jwtPayload["https://purl.imsglobal.org/spec/lti/claim/message_type"] ?? ""),
      contextId: session.context.id || null,
      resourceLinkId: session.resourceLink?.id ?? null,
      data: JSON.stringify(session),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.sessionTtlSeconds * 1000),
    });
    return session.id;
  }

  async getSession(sessionId: string): Promise<LTISession | undefined> {
    const rows = await this.db
      .select()
      .from(ltiSessions)
      .where(and(eq(ltiSessions.id, sessionId), gt(ltiSessions.expiresAt, this.clock.now())))
      .limit(1);
    return rows[0] ? (JSON.parse(rows[0].data) as LTISession) : undefined;
  }

  // ---- dynamic registration sessions -----------------------------------------------------------

  async setRegistrationSession(sessionId: string, session: LTIDynamicRegistrationSession): Promise<void> {
    await this.db
      .insert(ltiRegistrationSessions)
      .values({ id: sessionId, data: JSON.stringify(session), expiresAt: new Date(session.expiresAt) })
      .onConflictDoUpdate({ target: ltiRegistrationSessions.id, set: { data: JSON.stringify(session), expiresAt: new Date(session.expiresAt) } });
  }

  /**
   * Reads and removes the session in one statement (the library reads, then deletes: taking it here
   * makes the registration form single-use even when submitted twice at once).
   */
  async getRegistrationSession(sessionId: string): Promise<LTIDynamicRegistrationSession | undefined> {
    const rows = await this.db
      .delete(ltiRegistrationSessions)
      .where(and(eq(ltiRegistrationSessions.id, sessionId), gt(ltiRegistrationSessions.expiresAt, this.clock.now())))
      .returning({ data: ltiRegistrationSessions.data });
    return rows[0] ? (JSON.parse(rows[0].data) as LTIDynamicRegistrationSession) : undefined;
  }

  async deleteRegistrationSession(sessionId: string): Promise<void> {
    await this.db.delete(ltiRegistrationSessions).where(eq(ltiRegistrationSessions.id, sessionId));
  }
}
