import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

/** An error with an HTTP status and a message meant for the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Parses input with a zod schema; on failure, a 400 that names the field and the problem. */
export function parseOr400<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join(".");
  throw new HttpError(400, `Invalid ${what}${field ? `: ${field}` : ""}: ${issue.message}`);
}

/** Reads a JSON body; malformed JSON is a 400, not a 500. */
export async function readJson(req: { json(): Promise<unknown>; header(name: string): string | undefined }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new HttpError(400, "Malformed JSON body");
  }
}
