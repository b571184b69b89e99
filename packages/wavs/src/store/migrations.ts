import { sql as kv } from "./migrations/001-kv.js";
import { sql as services } from "./migrations/002-services.js";
import { sql as triggers } from "./migrations/003-triggers.js";
import { sql as pipeline } from "./migrations/004-pipeline.js";
import { sql as aggregation } from "./migrations/005-aggregation.js";
import { sql as quorumBlock } from "./migrations/006-quorum-block.js";
import { sql as executionFuel } from "./migrations/007-execution-fuel.js";
import { sql as eventLookups } from "./migrations/008-event-lookups.js";
import { sql as sentNonces } from "./migrations/009-sent-nonces.js";
import { sql as unusedInputIndex } from "./migrations/010-unused-input-index.js";

/**
 * Schema migrations, applied in order. A released migration is never edited: add a new file
 * and a new entry instead.
 */
export const MIGRATIONS: { version: number; sql: string }[] = [
  { version: 1, sql: kv },
  { version: 2, sql: services },
  { version: 3, sql: triggers },
  { version: 4, sql: pipeline },
  { version: 5, sql: aggregation },
  { version: 6, sql: quorumBlock },
  { version: 7, sql: executionFuel },
  { version: 8, sql: eventLookups },
  { version: 9, sql: sentNonces },
  { version: 10, sql: unusedInputIndex },
];
