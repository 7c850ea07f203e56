/**
 * Epochs are fixed windows of `epochSeconds` counted from the Unix epoch, so every component
 * derives the same epoch number from a timestamp with no shared state, and a cron run that fires
 * twice, late or not at all is harmless: the next run closes whatever has ended.
 */
export const epochAt = (at: Date, epochSeconds: number): number => Math.floor(at.getTime() / 1000 / epochSeconds);

export function epochBounds(epoch: number, epochSeconds: number) {
  return {
    startsAt: new Date(epoch * epochSeconds * 1000).toISOString(),
    endsAt: new Date((epoch + 1) * epochSeconds * 1000).toISOString(),
  };
}
