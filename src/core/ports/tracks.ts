export interface TrackMembership {
  memberId: number;
  trackId: string;
  joinedAt: Date;
}

export interface TrackStore {
  current(memberId: number): Promise<TrackMembership | undefined>;
  /** Ends the current membership, if any, and starts the new one, in one transaction. */
  join(memberId: number, trackId: string, at: Date): Promise<{ previous: string | null }>;
  leave(memberId: number, at: Date): Promise<TrackMembership | undefined>;
}
