/**
 * cloud-init user data that starts the miner container on an Ubuntu cloud image: installs Docker,
 * writes the miner's env file (root-only), runs the container with restart, and opens the port in
 * ufw if ufw is present. Pure: same input, same text.
 */
export interface MinerCloudInitOptions {
  /** Container image reference, e.g. "ghcr.io/tensornode/miner:0.1.0". */
  image: string;
  /** Environment passed to the container (docker --env-file: one KEY=VALUE a line, no quoting). */
  env: Record<string, string>;
  /** Port the miner listens on inside the container and on the VM. */
  port: number;
  containerName?: string;
}

const IMAGE_REF = /^[a-z0-9][a-z0-9._\/:@-]*$/i;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MINER_ENV_PATH = "/etc/tensornode/miner.env";

/** A YAML double-quoted scalar (JSON string escapes are valid YAML). */
const q = (s: string): string => JSON.stringify(s);

export function minerCloudInit(options: MinerCloudInitOptions): string {
  const { image, env, port } = options;
  const name = options.containerName ?? "tensornode-miner";
  if (!IMAGE_REF.test(image)) throw new RangeError(`invalid container image reference: ${JSON.stringify(image)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || port === 22 || port === 10250) {
    throw new RangeError(`invalid miner port ${port} (1-65535, not 22 or the reserved 10250)`);
  }
  if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(name)) throw new RangeError(`invalid container name ${JSON.stringify(name)}`);
  const envLines = Object.entries(env).map(([key, value]) => {
    if (!ENV_KEY.test(key)) throw new RangeError(`invalid env name ${JSON.stringify(key)}`);
    if (/[\r\n\0]/.test(value)) throw new RangeError(`env ${key} must not contain line breaks`);
    return `${key}=${value}`;
  });
  envLines.push(`PORT=${port}`);
  const uniqueEnv = [...new Map(envLines.map((l) => [l.slice(0, l.indexOf("=")), l])).values()];

  const run = (...argv: string[]): string => `  - [${argv.map(q).join(", ")}]`;
  return [
    "#cloud-config",
    "package_update: true",
    "packages:",
    "  - docker.io",
    "write_files:",
    `  - path: ${q(MINER_ENV_PATH)}`,
    '    permissions: "0600"',
    '    owner: "root:root"',
    "    content: |",
    ...uniqueEnv.map((line) => `      ${line}`),
    "runcmd:",
    run("systemctl", "enable", "--now", "docker"),
    run("sh", "-c", `if command -v ufw >/dev/null 2>&1; then ufw allow ${port}/tcp; fi`),
    run("docker", "pull", image),
    run(
      "docker", "run", "-d", "--name", name, "--restart", "unless-stopped",
      "--env-file", MINER_ENV_PATH, "-p", `${port}:${port}`, image,
    ),
    "",
  ].join("\n");
}
