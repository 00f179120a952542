// A short word on JSONata where an expression may be typed, with the pages that say more.
export function JsonataHelp() {
  return (
    <p className="field-hint jsonata-help" data-testid="jsonata-help">
      An expression goes between <code>{"{%"}</code> and <code>{"%}"}</code>, e.g.{" "}
      <code>{"{% $states.input.total * 2 %}"}</code>. The state’s input is{" "}
      <code>$states.input</code>.{" "}
      <a
        href="https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html"
        target="_blank"
        rel="noreferrer"
      >
        JSONata in Step Functions
      </a>{" "}
      ·{" "}
      <a href="https://docs.jsonata.org/overview" target="_blank" rel="noreferrer">
        JSONata guide
      </a>
    </p>
  );
}
