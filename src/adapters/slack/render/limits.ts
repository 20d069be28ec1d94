/** Slack's limits for messages, Block Kit and views, in characters or counts. */
export const limits = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  /**
   * Slack refuses a message whose blocks hold roughly 12,000–13,000 characters in all
   * (msg_blocks_too_long, undocumented); counting the blocks' JSON keeps well under it.
   */
  blocksJson: 12_000,
  /** Slack cuts the top-level text past this. */
  messageText: 40_000,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  /** Slack may cut a button's text on screen from about here, so longer choices are also listed. */
  buttonTextShown: 30,
  actionId: 255,
  buttonValue: 2000,
  buttonUrl: 3000,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  inputPlaceholder: 150,
  inputLength: 3000,
  privateMetadata: 3000,
} as const;
