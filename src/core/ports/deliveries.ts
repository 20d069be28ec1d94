/** A question posted to a cohort's channel (the daily question). */
export interface CohortDelivery {
  id: number;
  cohortId: number;
  questionId: string;
  week: number;
  deliveredAt: Date;
  closesAt: Date;
}

export interface DeliveryStore {
  /** The daily question posted for the fire at `deliveredAt`, if it was chosen already (a retried send reuses it). */
  forCohortAt(cohortId: number, deliveredAt: Date): Promise<CohortDelivery | undefined>;
  create(delivery: Omit<CohortDelivery, "id"> & { spaceId: number }): Promise<CohortDelivery>;
  /** Question ids the cohort has had as daily questions. */
  usedByCohort(cohortId: number): Promise<Set<string>>;
  /** The cohort's daily question with this id, if it is still open at `now`. */
  open(cohortId: number, questionId: string, now: Date): Promise<CohortDelivery | undefined>;
  /** Closed daily questions whose results post has not been claimed yet. */
  closedWithoutResults(now: Date, limit: number): Promise<CohortDelivery[]>;
  /** The cohort's daily question that closed at exactly this instant. */
  closedAt(cohortId: number, closesAt: Date): Promise<CohortDelivery | undefined>;
  /** How the cohort answered: each response with its count, while the question was open. */
  tally(delivery: CohortDelivery): Promise<{ response: string; correct: boolean; count: number }[]>;
}
