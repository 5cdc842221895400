// Ids as clients send them: one definition of the uuid text that PostgreSQL's uuid type reads (the
// request validator's `uuid` format and the services telling an id from a name both use it).

/** A uuid in the canonical text form; ajv-formats' own also takes a `urn:uuid:` prefix PostgreSQL refuses. */
export const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `s` is a uuid in the text PostgreSQL reads. */
export function isUuid(s: string): boolean {
  return UUID_TEXT.test(s);
}
