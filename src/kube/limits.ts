/** What one JSON answer may weigh: a page of 500 Jobs is ~2.5 MiB. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** What one log read may pull, whatever the caller asks: memory stays bounded. */
export const MAX_LOG_BYTES = 1024 * 1024;
