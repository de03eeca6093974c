"""Channel adapters: Twilio voice and WhatsApp in, TwiML out. Each one turns a webhook into
engine calls and renders the engine's BotReply; none of them talks to a brain or a tool."""
