/**
 * The local runtime's own log lines: one JSON object per line on stderr, like the handlers'
 * Powertools logs on stdout, so `npm start`'s output can be filtered with `jq` either way.
 */
export type LocalLog = (component: string, message: string, attributes?: Record<string, unknown>) => void;

export const jsonLog: LocalLog = (component, message, attributes = {}) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: "INFO", service: "tensornode-local", component, message, ...attributes })}\n`);
};

export const quietLog: LocalLog = () => {};
