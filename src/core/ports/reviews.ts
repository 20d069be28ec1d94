export interface ReviewEntry {
  questionId: string;
  intervalDays: number;
  ease: number;
  streak: number;
  dueAt: Date;
}

export interface ReviewStore {
  get(memberId: number, questionId: string): Promise<ReviewEntry | undefined>;
  save(memberId: number, entry: ReviewEntry, at: Date): Promise<void>;
  remove(memberId: number, questionId: string): Promise<void>;
  /** The member's review due longest ago, if any is due at `now`. */
  nextDue(memberId: number, now: Date): Promise<ReviewEntry | undefined>;
  /** The member's next review, due or not. */
  earliest(memberId: number): Promise<ReviewEntry | undefined>;
}
