// Render one Adaptive Card with Microsoft's renderer (npm adaptivecards, global
// AdaptiveCards) and a host config into #host, replacing what was there.
// Returns what the renderer's parser and validator had to say about the card
// when read as schema 1.5 (unknown elements, bad values...).
({ card, hostConfig }) => {
  const host = document.getElementById("host");
  host.replaceChildren();
  const adaptiveCard = new AdaptiveCards.AdaptiveCard();
  adaptiveCard.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  adaptiveCard.parse(card, context);
  const issues = [];
  for (let i = 0; i < context.eventCount; i++) {
    issues.push(`parse: ${context.getEventAt(i).message}`);
  }
  for (const event of adaptiveCard.validateProperties().validationEvents) {
    issues.push(`validate: ${event.message}`);
  }
  const rendered = adaptiveCard.render();
  if (!rendered) {
    issues.push("render: nothing rendered");
  } else {
    host.appendChild(rendered);
  }
  return issues;
}
