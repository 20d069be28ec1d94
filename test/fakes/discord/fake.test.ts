import { once } from "node:events";
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  InteractionResponseType,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  customIds,
  type FakeDiscord,
  type FakeDiscordOptions,
  fakeGuild,
  fakeUser,
  moderatorPermissions,
  startFakeDiscord,
} from "./index.js";

const ada = fakeUser("ada", "Ada Lovelace");

let fake: FakeDiscord | undefined;
let client: Client | undefined;
/** What the in-test bot does with each interaction; each test sets its own. */
let onInteraction: (interaction: Interaction) => Promise<unknown> = async () => {};
const botErrors: unknown[] = [];

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
  onInteraction = async () => {};
  expect(botErrors.splice(0)).toEqual([]);
});

/** A fake Discord and a real discord.js client logged in to it. */
async function connect(options: FakeDiscordOptions = {}): Promise<{ fake: FakeDiscord; client: Client }> {
  fake = await startFakeDiscord(options);
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    onInteraction(interaction).catch((error: unknown) => botErrors.push(error));
  });
  const ready = once(client, Events.ClientReady);
  await client.login("fake-token");
  await Promise.all([ready, fake.ready]);
  return { fake, client };
}

function firstChannel(fake: FakeDiscord): string {
  const channel = fake.guilds[0]?.channels[0];
  if (!channel) throw new Error("the default guild has channels");
  return channel.id;
}

describe("the fake Discord, driven by a real discord.js client", () => {
  it("logs the client in and hands it the server with its channels, roles and owner", async () => {
    const { fake, client } = await connect();
    const [guild] = fake.guilds;
    if (!guild) throw new Error("one guild by default");

    const cached = client.guilds.cache.get(guild.id);
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.user?.bot).toBe(true);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(cached?.name).toBe(guild.name);
    expect(cached?.ownerId).toBe(guild.ownerId);
    expect(cached?.channels.cache.map((c) => c.name).sort()).toEqual(["announcements", "general"]);
    expect(cached?.roles.everyone.id).toBe(guild.id);
    expect(cached?.members.me?.permissions.has(PermissionFlagsBits.ManageRoles)).toBe(true);
    expect(fake.logins).toEqual([{ token: "fake-token", intents: GatewayIntentBits.Guilds, shard: [0, 1] }]);
    expect(fake.requests[0]).toMatchObject({
      method: "GET",
      path: "/gateway/bot",
      authorized: true,
      status: 200,
    });
  });

  it("delivers a slash command with its options and records the reply, sent without Authorization", async () => {
    const { fake } = await connect();
    onInteraction = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const moderator = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
      await interaction.reply(
        `${interaction.commandName} ${interaction.options.getString("word")} ${moderator}`,
      );
    };

    const asMember = await fake.slash({ user: ada, name: "echo", options: { word: "hi" } }).final();
    const asModerator = fake.slash({
      user: ada,
      name: "echo",
      options: { word: "yo" },
      permissions: moderatorPermissions,
    });

    expect(asMember.body.content).toBe("echo hi false");
    expect((await asModerator.final()).body.content).toBe("echo yo true");
    const callbacks = fake.requests.filter(
      (r) => r.route === "POST /interactions/:interaction/:token/callback",
    );
    expect(callbacks).toHaveLength(2);
    expect(callbacks.every((r) => !r.authorized && r.status === 204)).toBe(true);
  });

  it("shows a deferred reply once the bot edits @original, and collects follow-ups", async () => {
    const { fake } = await connect();
    onInteraction = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply("done thinking");
      await interaction.followUp("one more thing");
    };

    const handle = fake.slash({ user: ada, name: "slow" });
    const reply = await handle.final();
    const followUps = await handle.followUps();

    expect((await handle.response()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(reply.body.content).toBe("done thinking");
    expect(reply.ephemeral).toBe(true);
    expect(followUps.map((m) => m.body.content)).toEqual(["one more thing"]);
    const edit = handle.requests().find((r) => r.method === "PATCH");
    expect(edit?.path).toBe(`/webhooks/${fake.applicationId}/${handle.token}/messages/@original`);
  });

  it("records a file attached to a reply with its name, type and bytes", async () => {
    const { fake } = await connect();
    const csv = "user,score\nada,10\n";
    onInteraction = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const file = new AttachmentBuilder(Buffer.from(csv), { name: "scores.csv" });
      await interaction.reply({ content: "your export", files: [file] });
    };

    const reply = await fake.slash({ user: ada, name: "export" }).final();

    expect(reply.body.content).toBe("your export");
    expect(reply.files).toHaveLength(1);
    expect(reply.files[0]?.name).toBe("scores.csv");
    expect(reply.files[0]?.size).toBe(csv.length);
    expect(Buffer.from(reply.files[0]?.bytes ?? []).toString()).toBe(csv);
  });

  it("lets the bot post to a channel, and answers Unknown Channel for one the server does not have", async () => {
    const { fake, client } = await connect();
    const channel = await client.channels.fetch(firstChannel(fake));
    if (!channel?.isSendable()) throw new Error("general is a text channel");

    const sent = await channel.send("Week 1 starts today");
    const missing = client.rest.post(Routes.channelMessages("111111111111111111"), {
      body: { content: "x" },
    });

    expect(fake.messagesIn(channel.id).map((m) => [m.id, m.body.content])).toEqual([
      [sent.id, "Week 1 starts today"],
    ]);
    await expect(missing).rejects.toMatchObject({ status: 404, code: 10003 });
  });

  it("given a nonce the bot asks to enforce, answers a repeat with the first message and makes no second", async () => {
    const { fake, client } = await connect();
    const channel = await client.channels.fetch(firstChannel(fake));
    if (!channel?.isSendable()) throw new Error("general is a text channel");

    const first = await channel.send({ content: "Week 2", nonce: "quorum-post-7#0", enforceNonce: true });
    const again = await channel.send({ content: "Week 2", nonce: "quorum-post-7#0", enforceNonce: true });
    // Without enforce_nonce, Discord keeps no such promise.
    const unenforced = await channel.send({ content: "Week 2", nonce: "quorum-post-7#0" });

    expect(again.id).toBe(first.id);
    expect(fake.messagesIn(channel.id).map((m) => m.id)).toEqual([first.id, unenforced.id]);
  });

  it("lets the bot show a modal and hands back what the person typed, in the modal's own layout", async () => {
    const { fake } = await connect();
    onInteraction = async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const query = new TextInputBuilder().setCustomId("query").setStyle(TextInputStyle.Paragraph);
        const note = new TextInputBuilder()
          .setCustomId("note")
          .setLabel("Note")
          .setStyle(TextInputStyle.Short);
        // Labels are today's layout; an action row is the older one. The fake answers both.
        await interaction.showModal(
          new ModalBuilder()
            .setCustomId("submit-form")
            .setTitle("Submit")
            .addTextDisplayComponents((text) => text.setContent("Write one SELECT."))
            .addLabelComponents((label) => label.setLabel("Query").setTextInputComponent(query))
            .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(note)),
        );
      } else if (interaction.isModalSubmit()) {
        const { fields } = interaction;
        await interaction.reply(
          `got ${fields.getTextInputValue("query")} (${fields.getTextInputValue("note")})`,
        );
      }
    };

    const shown = await fake.slash({ user: ada, name: "submit" }).response();
    const fields = { query: "SELECT 1", note: "first try" };
    const answer = await fake.modalSubmit({ user: ada, customId: "submit-form", fields }).final();

    expect(shown.type).toBe(InteractionResponseType.Modal);
    expect(shown.data.title).toBe("Submit");
    expect(answer.body.content).toBe("got SELECT 1 (first try)");
  });

  it("presses a button on the bot's message and sees the message updated in place", async () => {
    const { fake } = await connect();
    onInteraction = async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const button = new ButtonBuilder()
          .setCustomId("quiz:1:b")
          .setLabel("B")
          .setStyle(ButtonStyle.Primary);
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(button);
        await interaction.reply({ content: "Question 1", components: [row], withResponse: true });
      } else if (interaction.isButton()) {
        await interaction.update({ content: `answered ${interaction.customId}`, components: [] });
      }
    };

    const asked = fake.slash({ user: ada, name: "quiz" });
    const question = await asked.final();
    const pressed = await fake.button({ user: ada, customId: "quiz:1:b" }).final();

    expect(customIds(question.body)).toEqual(["quiz:1:b"]);
    expect(asked.requests()[0]?.response).toMatchObject({ resource: { message: { id: question.id } } });
    expect(pressed.id).toBe(question.id);
    expect(pressed.body.content).toBe("answered quiz:1:b");
    expect(fake.messagesIn(firstChannel(fake)).map((m) => m.body.content)).toEqual(["answered quiz:1:b"]);
  });

  it("types options as the bot registered them and answers autocomplete with its choices", async () => {
    const { fake, client } = await connect();
    const bob = fakeUser("bob");
    await client.application?.commands.set([
      {
        name: "week",
        description: "Show a week",
        options: [
          {
            name: "number",
            description: "Which",
            type: ApplicationCommandOptionType.Integer,
            autocomplete: true,
          },
          { name: "buddy", description: "Who", type: ApplicationCommandOptionType.User },
        ],
      },
    ]);
    onInteraction = async (interaction) => {
      if (interaction.isAutocomplete()) {
        const typed = interaction.options.getFocused();
        await interaction.respond([{ name: `Week ${typed}0`, value: Number(`${typed}0`) }]);
      } else if (interaction.isChatInputCommand()) {
        const buddy = interaction.options.getUser("buddy");
        await interaction.reply(`week ${interaction.options.getInteger("number")} with ${buddy?.username}`);
      }
    };

    const suggested = await fake
      .autocomplete({ user: ada, name: "week", focused: "number", options: { number: "1" } })
      .response();
    const shown = await fake.slash({ user: ada, name: "week", options: { number: 10, buddy: bob } }).final();

    expect(fake.commands().map((c) => c.name)).toEqual(["week"]);
    expect(suggested.data.choices).toEqual([{ name: "Week 10", value: 10 }]);
    expect(shown.body.content).toBe("week 10 with bob");
  });

  it("creates and assigns roles, and refuses with Missing Permissions where the bot lacks Manage Roles", async () => {
    const allowed = fakeGuild();
    const refused = fakeGuild({ botCanManageRoles: false, members: [ada] });
    const { fake, client } = await connect({ guilds: [allowed, refused] });
    onInteraction = async (interaction) => {
      if (!interaction.inCachedGuild() || !interaction.isChatInputCommand()) return;
      const role = await interaction.guild.roles.create({ name: "track-sql" });
      await interaction.member.roles.add(role);
      await interaction.reply("joined");
    };

    await fake.slash({ user: ada, guildId: allowed.id, name: "track" }).final();
    const created = fake.roles(allowed.id).find((r) => r.name === "track-sql");
    const denied = client.rest.post(Routes.guildRoles(refused.id), { body: { name: "nope" } });

    expect(created && fake.memberRoles(allowed.id, ada.id)).toEqual([created?.id]);
    await expect(denied).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(denied).rejects.toMatchObject({ status: 403, code: 50013 });
  });

  it("opens a direct-message channel and honours closed DMs", async () => {
    const { fake, client } = await connect();
    onInteraction = async (interaction) => {
      await interaction.user.send("a private hint");
      if (interaction.isRepliable()) await interaction.reply("sent you a DM");
    };
    await fake.slash({ user: ada, name: "hint" }).final();
    fake.closeDirectMessages(ada.id);

    const refused = client.users.cache.get(ada.id)?.send("another");

    expect(fake.directMessagesTo(ada.id).map((m) => m.body.content)).toEqual(["a private hint"]);
    await expect(refused).rejects.toMatchObject({ status: 403, code: 50007 });
  });

  it("given an expired interaction, answers its callback with 404 Unknown interaction (10062)", async () => {
    const { fake } = await connect();
    const failures: unknown[] = [];
    onInteraction = async (interaction) => {
      if (interaction.isRepliable())
        await interaction.reply("too late").catch((error) => failures.push(error));
    };

    const late = fake.slash({ user: ada, name: "late", expired: true });
    const callback = await fake.waitFor((r) => r.route === "POST /interactions/:interaction/:token/callback");

    expect(callback).toMatchObject({
      status: 404,
      response: { code: 10062, message: "Unknown interaction" },
    });
    expect(callback.path).toBe(`/interactions/${late.id}/${late.token}/callback`);
    await vi.waitFor(() => expect(failures).toHaveLength(1));
    expect(failures[0]).toMatchObject({ status: 404, code: 10062 });
  });

  it("answers unknown routes with 404 and records them, so tests can see unexpected calls", async () => {
    const { fake, client } = await connect();

    const unknown = client.rest.get("/guilds/111111111111111111/bans");

    await expect(unknown).rejects.toMatchObject({ status: 404 });
    expect(fake.requests.filter((r) => r.route === null).map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /guilds/111111111111111111/bans",
    ]);
  });

  it("fails a wait with a message listing what the fake did receive", async () => {
    const { fake } = await connect();

    const silent = fake.slash({ user: ada, name: "ignored" }).final(200);

    await expect(silent).rejects.toThrow(/the reply to \/ignored.*\n.*GET \/gateway\/bot → 200/s);
  });
});
