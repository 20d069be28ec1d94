/** Discord's documented limits for messages, embeds, components and modals, in characters or counts. */
export const limits = {
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Title, description, field names and values, footer and author together, per embed and per message. */
  embedCharacters: 6000,
  embedsPerMessage: 10,
  attachmentsPerMessage: 10,
  attachmentDescription: 1024,
  rowsPerMessage: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  linkUrl: 512,
  modalTitle: 45,
  inputLabel: 45,
  inputPlaceholder: 100,
  inputLength: 4000,
  content: 2000,
} as const;
