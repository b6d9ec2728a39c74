/** Lab ids and check ids: lowercase words joined by single hyphens (`sse-reader`). No dependencies, so the
 * home page can check ids of saved progress without loading the lab schema. */
export const KEBAB_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
