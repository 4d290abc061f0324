/**
 * Maps failures to the wire. Alertmanager's v2 API answers errors as a bare JSON string
 * (go-swagger's BadRequest/InternalServerError payloads); other families answer plain text.
 */
import type { FastifyReply } from 'fastify';

/** Sends an Alertmanager v2 error: a JSON string body. */
export function sendV2Error(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send(JSON.stringify(message));
}

/** Sends a plain-text error, as Mimir's config API and the ops endpoints do. */
export function sendTextError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'text/plain; charset=utf-8').send(message);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
