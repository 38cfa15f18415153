/** Written on the target by the claim of a confirmation token, and on a rerun's Job: the token's id. */
export const CONFIRMATION_ID = 'k8s-jobs-mcp.io/confirmation-id';
