export default defineBackground(() => {
  // Wiring only; logic lives in utils/.
});
