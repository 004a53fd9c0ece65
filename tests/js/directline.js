#!/usr/bin/env node
// A local Direct Line for the end-to-end test: the router of npm offline-directline,
// on 127.0.0.1 only and on a free port, that also serves a page with Microsoft's
// Web Chat (its prebuilt bundle from node_modules), so the page and Direct Line
// share one origin.
//
//   node tests/js/directline.js --bot http://127.0.0.1:3978/api/messages [--locale fr-FR]
//
// Prints one JSON line, {"port": N}, once it listens; stops on SIGTERM.
//
// offline-directline 1.3.1 is used as it is, with two things it does not do:
// - its initializeRoutes() listens on every interface at a fixed port, so its
//   getRouter() is mounted on a server of our own (loopback, port 0);
// - the conversationUpdate it sends when a conversation starts names no members,
//   where the Direct Line service names the bot and the user who joined (that is
//   what makes a bot say welcome): its messages to the bot go through /to-bot
//   here, which fills the members (and Web Chat's locale) in, then forwards them.
"use strict";

const http = require("http");
const path = require("path");
const express = require("express");
const { getRouter } = require("offline-directline");

const ROOT = path.resolve(__dirname, "..", "..");
const WEBCHAT = path.join(ROOT, "node_modules", "botframework-webchat", "dist", "webchat.js");
const USER_ID = "webchat-user";
const BOT_ID = "carrier-privacy-bot";

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const botUrl = option("bot");
const locale = option("locale", "en-US");
if (!botUrl || !/^http:\/\/127\.0\.0\.1:\d+\//.test(botUrl)) {
  console.error("--bot http://127.0.0.1:PORT/api/messages is required (loopback only)");
  process.exit(2);
}

const page = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>Web Chat through a local Direct Line</title>
<style>html, body { height: 100%; margin: 0; } #webchat { height: 100%; }</style></head>
<body>
<div id="webchat" role="main"></div>
<script src="/webchat.js"></script>
<script>
  const directLine = window.WebChat.createDirectLine({
    token: "local",
    domain: location.origin + "/directline",
    webSocket: false,
    pollingInterval: 250
  });
  window.WebChat.renderWebChat(
    { directLine, userID: ${JSON.stringify(USER_ID)}, username: "Camille", locale: ${JSON.stringify(locale)} },
    document.getElementById("webchat")
  );
</script>
</body>
</html>`;

const app = express();
app.get("/", (req, res) => res.type("html").send(page));
app.get("/webchat.js", (req, res) => res.sendFile(WEBCHAT));
app.post("/to-bot", express.json({ limit: "1mb" }), async (req, res) => {
  const activity = req.body;
  activity.recipient = activity.recipient || { id: BOT_ID, role: "bot" };
  activity.locale = activity.locale || locale;
  if (activity.type === "conversationUpdate" && !(activity.membersAdded || []).length) {
    activity.membersAdded = [{ id: BOT_ID }, { id: USER_ID }];
  }
  try {
    const response = await fetch(botUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(activity)
    });
    res.status(response.status).send(await response.text());
  } catch (error) {
    console.error(`the bot could not be reached: ${error.message}`);
    res.status(502).end();
  }
});

const server = http.createServer(app);
server.listen(0, "127.0.0.1", () => {
  const origin = `http://127.0.0.1:${server.address().port}`;
  app.use(getRouter(origin, `${origin}/to-bot`));
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
