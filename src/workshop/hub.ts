/**
 * The live side of workshops: the event log (SQLite, `workshop_events`) and the in-process fan-out
 * to open SSE streams.
 *
 * - `emit` numbers an event with one `UPDATE workshops SET seq = seq + 1 ... RETURNING seq`, stores it
 *   and hands it to the streams of that workshop. Emissions of one workshop run one after another
 *   (a promise chain), so streams see them in id order.
 * - `openStream` answers an SSE request: it subscribes first (buffering), then replays the stored
 *   events after Last-Event-ID (a `stats` event superseded by a later one for the same case is
 *   skipped) or, for a first visit or an unknown id, sends a fresh `snapshot`; then goes live.
 *   A comment line every 15 s keeps proxies from closing the connection.
 * - `schedule` coalesces work (the stats broadcast) to at most one run per delay per key.
 *
 * The fan-out is per process: with several server processes on one database every event is still
 * stored and replayed on reconnect, but a stream hears live only the events of its own process.
 */
import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import type { AppDeps } from "../app.js";
import { workshopEvents, workshops } from "../db/schema/index.js";

export type Audience = "facilitator" | "participant";

export interface WorkshopEvent {
  seq: number;
  type: string;
  /** "all" or "facilitator" */
  audience: "all" | "facilitator";
  position: number | null;
  data: unknown;
}

interface Subscriber {
  audience: Audience;
  deliver: (ev: WorkshopEvent) => void;
}

const HEARTBEAT_MS = 15_000;
/** More events than this after Last-Event-ID: a snapshot is cheaper than the replay. */
const MAX_REPLAY = 500;
const encoder = new TextEncoder();

export function sees(audience: Audience, ev: { audience: string }): boolean {
  return audience === "facilitator" || ev.audience === "all";
}

/** One SSE message. `data` is JSON on one line. */
export function sseMessage(ev: { seq?: number; type: string; data: unknown }): string {
  return `${ev.seq !== undefined ? `id: ${ev.seq}\n` : ""}event: ${ev.type}\ndata: ${JSON.stringify(ev.data)}\n\n`;
}

export class WorkshopHub {
  private subscribers = new Map<string, Set<Subscriber>>();
  private chains = new Map<string, Promise<unknown>>();
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private heartbeats = new Set<() => void>();
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  /** Interval of the keep-alive comment lines (tests shorten it). */
  heartbeatMs = HEARTBEAT_MS;

  constructor(private readonly deps: AppDeps) {}

  /** Runs `fn` after every earlier task of the same key (per-workshop serialisation in this process). */
  serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }

  /** Stores an event with the workshop's next sequence number and delivers it to the open streams. */
  emit(workshopId: string, ev: Omit<WorkshopEvent, "seq">): Promise<WorkshopEvent> {
    return this.serial(`emit:${workshopId}`, async () => {
      const db = this.deps.db;
      const rows = await db
        .update(workshops)
        .set({ seq: sql`${workshops.seq} + 1` })
        .where(eq(workshops.id, workshopId))
        .returning({ seq: workshops.seq });
      const seq = rows[0]?.seq;
      if (seq === undefined) throw new Error(`workshop ${workshopId} vanished`);
      await db.insert(workshopEvents).values({
        workshopId,
        seq,
        type: ev.type,
        audience: ev.audience,
        position: ev.position,
        data: JSON.stringify(ev.data),
        createdAt: this.deps.clock.now(),
      });
      const full: WorkshopEvent = { seq, ...ev };
      for (const s of this.subscribers.get(workshopId) ?? []) {
        if (sees(s.audience, full)) s.deliver(full);
      }
      return full;
    });
  }

  /** Coalesces calls: `fn` runs `delayMs` after the first call of a burst, once. */
  schedule(key: string, delayMs: number, fn: () => Promise<void>): void {
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      fn().catch((e: unknown) => {
        // After the server closed its database (shutdown, tests) a pending broadcast has nobody to tell.
        if (/database connection is not open/i.test((e as Error)?.message ?? "")) return;
        console.error(`[${this.deps.clock.now().toISOString()}] workshop ${key} failed:`, e);
      });
    }, delayMs);
    (timer as { unref?: () => void }).unref?.();
    this.timers.set(key, timer);
  }

  /** Number of open streams of a workshop (tests, diagnostics). */
  streams(workshopId: string): number {
    return this.subscribers.get(workshopId)?.size ?? 0;
  }

  private subscribe(workshopId: string, sub: Subscriber): () => void {
    let set = this.subscribers.get(workshopId);
    if (!set) this.subscribers.set(workshopId, (set = new Set()));
    set.add(sub);
    return () => {
      set.delete(sub);
      if (set.size === 0 && this.subscribers.get(workshopId) === set) this.subscribers.delete(workshopId);
    };
  }

  private addHeartbeat(beat: () => void): () => void {
    this.heartbeats.add(beat);
    if (!this.heartbeatTimer) {
      this.heartbeatTimer = setInterval(() => {
        for (const b of [...this.heartbeats]) b();
      }, this.heartbeatMs);
      (this.heartbeatTimer as { unref?: () => void }).unref?.();
    }
    return () => {
      this.heartbeats.delete(beat);
      if (this.heartbeats.size === 0 && this.heartbeatTimer) {
        clearInterval(this.heartbeatTimer);
        this.heartbeatTimer = undefined;
      }
    };
  }

  /** Stored events of a workshop after `after` (up to `upTo`), oldest first; undefined when there are too many. */
  async eventsAfter(workshopId: string, after: number, upTo: number, audience: Audience): Promise<WorkshopEvent[] | undefined> {
    const rows = await this.deps.db
      .select()
      .from(workshopEvents)
      .where(and(eq(workshopEvents.workshopId, workshopId), gt(workshopEvents.seq, after), lte(workshopEvents.seq, upTo)))
      .orderBy(asc(workshopEvents.seq))
      .limit(MAX_REPLAY + 1);
    if (rows.length > MAX_REPLAY) return undefined;
    const events = rows
      .filter((r) => sees(audience, r))
      .map((r) => ({ seq: r.seq, type: r.type, audience: r.audience as WorkshopEvent["audience"], position: r.position, data: JSON.parse(r.data) as unknown }));
    // A stats event is a whole picture of its case: only the last one of each case is worth sending.
    const lastStats = new Map<number | null, number>();
    for (const e of events) if (e.type === "stats") lastStats.set(e.position, e.seq);
    return events.filter((e) => e.type !== "stats" || lastStats.get(e.position) === e.seq);
  }

  /**
   * An SSE response for one viewer. `lastEventId` is the browser's Last-Event-ID (header or
   * `?lastEventId=`); `snapshot` builds the viewer's whole picture when no replay is possible.
   */
  async openStream(options: {
    workshopId: string;
    audience: Audience;
    lastEventId: string | undefined;
    currentSeq: () => Promise<number>;
    snapshot: () => Promise<unknown>;
    signal?: AbortSignal;
  }): Promise<Response> {
    const { workshopId, audience } = options;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let closed = false;
    let live = false;
    let sent = 0;
    const pending: WorkshopEvent[] = [];
    const cleanups: Array<() => void> = [];
    const close = () => {
      if (closed) return;
      closed = true;
      for (const c of cleanups) c();
      try {
        controller.close();
      } catch {
        /* already closed */
      }
    };
    const write = (text: string) => {
      if (closed) return;
      try {
        controller.enqueue(encoder.encode(text));
      } catch {
        close();
      }
    };
    const deliver = (ev: WorkshopEvent) => {
      if (!live) {
        pending.push(ev);
        return;
      }
      if (ev.seq <= sent) return;
      sent = ev.seq;
      write(sseMessage(ev));
    };
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
      cancel() {
        close();
      },
    });
    cleanups.push(this.subscribe(workshopId, { audience, deliver }));
    cleanups.push(this.addHeartbeat(() => write(`: heartbeat ${Date.now()}\n\n`)));
    options.signal?.addEventListener("abort", close, { once: true });

    write("retry: 2000\n\n");
    try {
      const current = await options.currentSeq();
      const last = parseLastEventId(options.lastEventId);
      const replay = last !== undefined && last <= current ? await this.eventsAfter(workshopId, last, current, audience) : undefined;
      if (replay) {
        for (const ev of replay) write(sseMessage(ev));
      } else {
        write(sseMessage({ seq: current, type: "snapshot", data: await options.snapshot() }));
      }
      sent = current;
      live = true;
      for (const ev of pending.splice(0)) deliver(ev);
    } catch (e) {
      console.error(`[${this.deps.clock.now().toISOString()}] workshop stream ${workshopId} failed:`, e);
      close();
    }
    return new Response(stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Accel-Buffering": "no",
        "X-Content-Type-Options": "nosniff",
      },
    });
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }
}

export function parseLastEventId(value: string | undefined | null): number | undefined {
  if (!value || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

const hubs = new WeakMap<AppDeps, WorkshopHub>();

/** The hub of an app (one per `AppDeps`, so a recreated runtime starts with a fresh one). */
export function hubOf(deps: AppDeps): WorkshopHub {
  let hub = hubs.get(deps);
  if (!hub) hubs.set(deps, (hub = new WorkshopHub(deps)));
  return hub;
}
