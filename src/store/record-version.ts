// The record format version this build writes; readers skip records with a newer one.
export const RECORD_VERSION = 1;
