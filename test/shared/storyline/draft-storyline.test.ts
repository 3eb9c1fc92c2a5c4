import { describe, expect, it } from 'vitest';
import { priorDecision } from '#shared/storyline/decision-model.ts';
import { draftStoryline } from '#shared/storyline/draft-storyline.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

describe('draftStoryline', () => {
  it('writes aliases and phrases in the language of the articles, and the draft matches their story', () => {
    const articles = [
      'El presidente Gustavo Petro ordenó suspender la cooperación de inteligencia con los Estados Unidos.\n' +
        'Según Bogotá, la cooperación de inteligencia seguirá suspendida mientras sigan los ataques.',
      'Gustavo Petro habló en Bogotá sobre la cooperación de inteligencia y los ataques en el Caribe.',
    ];
    const storyline = draftStoryline(articles, { id: 'prueba', title: 'Prueba' });
    expect(storyline.actors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'Gustavo Petro',
          kind: 'person',
          aliases: { es: ['Gustavo Petro', 'Petro'] },
        }),
        expect.objectContaining({ name: 'Bogotá', aliases: { es: ['Bogotá', 'Bogota'] } }),
      ]),
    );
    // The Portuguese spelling is guessed by the rules that relate the two languages.
    expect(storyline.themes.map((t) => t.phrases)).toContainEqual({
      es: ['cooperacion de inteligencia'],
      pt: ['cooperacao de inteligencia'],
    });
    const matcher = new StorylineMatcher(storyline);
    expect(
      matcher.match({ title: 'Petro mantiene suspendida la cooperación de inteligencia' }).relevant,
    ).toBe(true);
    expect(matcher.match({ title: 'Lluvias en Medellín' }).relevant).toBe(false);
  });

  it('always produces a valid storyline, even from text with no repeated names', () => {
    const storyline = draftStoryline(['nothing here repeats at all.'], { id: 'empty', title: 'Empty' });
    expect(storyline.actors.map((a) => a.id)).toEqual(['replace-me']);
  });
});

describe('draftStoryline on articles in several languages', () => {
  const articles = [
    'Shipping Giant Stuck For A Sixth Day As Salvage Crews Dig\n' +
      'According to the canal authority, the container ship Marlin Crest was still stuck on Saturday night. ' +
      'The SCA said tugboats and dredgers kept working. Captain Ana Ribeiro told reporters the salvage crews ' +
      'hoped to refloat the ship at high tide. Traffic through the Vireo Canal remained blocked.',
    'El buque Marlin Crest sigue encallado en el canal Vireo\n' +
      'Según la SCA, los remolcadores intentaron reflotar el buque durante la noche del sábado. ' +
      'La capitana Ana Ribeiro dijo que el canal Vireo seguirá bloqueado mientras el buque siga encallado. ' +
      'Cientos de barcos esperan en la entrada del canal Vireo.',
    'Navio Marlin Crest continua encalhado no canal Vireo\n' +
      'Segundo a SCA, rebocadores tentam desencalhar o navio Marlin Crest. ' +
      'Ribeiro afirmou que o canal Vireo continua bloqueado e que o navio será desencalhado em breve.',
  ];
  const storyline = draftStoryline(articles, { id: 'canal', title: 'Canal' });
  const actor = (name: string) => storyline.actors.find((a) => a.name === name);

  it('finds the story names with the forms each language uses, and no sentence openers', () => {
    expect(actor('Marlin Crest')).toMatchObject({ kind: 'vessel' });
    expect(actor('Marlin Crest')?.aliases).toMatchObject({
      en: ['Marlin Crest'],
      es: ['Marlin Crest'],
      pt: ['Marlin Crest'],
    });
    expect(actor('Ana Ribeiro')).toMatchObject({ kind: 'person' });
    expect(actor('Ana Ribeiro')?.aliases.en).toContain('Ribeiro');
    expect(actor('SCA')).toMatchObject({ kind: 'organisation' });
    const names = storyline.actors.map((a) => a.name.toLowerCase());
    for (const opener of ['according', 'según', 'segundo', 'shipping giant stuck', 'captain', 'saturday'])
      expect(names).not.toContain(opener);
  });

  it('makes themes of the story words, not of dates or reporting words', () => {
    const phrases = storyline.themes.flatMap((t) => Object.values(t.phrases).flat());
    expect(phrases).toEqual(expect.arrayContaining(['salvage crews', 'encallado', 'bloqueado', 'stuck']));
    for (const generic of ['saturday night', 'saturday', 'night', 'reporters', 'noche', 'according'])
      expect(phrases).not.toContain(generic);
  });

  it('finds its story in a headline before anything is labelled, and not unrelated ones', () => {
    const matcher = new StorylineMatcher(storyline);
    expect(matcher.match({ title: 'Salvage crews free the Marlin Crest' }).relevant).toBe(true);
    expect(
      matcher.match({ title: 'Remolcadores liberan al buque encallado en el canal Vireo' }).relevant,
    ).toBe(true);
    expect(matcher.match({ title: 'Football results from Saturday night' }).relevant).toBe(false);
  });
});

describe('draftStoryline names', () => {
  it('merges demonyms with their place, keeps offices and leaves titles out of names', () => {
    const text =
      'Colombian President Gustavo Petro met officials in Bogota. The Colombian government said Colombia would ' +
      'answer. President Petro spoke again. Colombia and Petro were named in the report, and the Colombian ' +
      'president left for Colombia.';
    const storyline = draftStoryline([text], { id: 'names', title: 'Names' });
    const petro = storyline.actors.find((a) => a.name === 'Gustavo Petro');
    expect(petro?.aliases.en).toEqual(
      expect.arrayContaining(['Gustavo Petro', 'Petro', 'Colombian president']),
    );
    const colombia = storyline.actors.find((a) => a.name === 'Colombia');
    expect(colombia?.aliases.en).toEqual(expect.arrayContaining(['Colombia', 'Colombian']));
    expect(storyline.actors.map((a) => a.name)).not.toContain('Colombian President Gustavo Petro');
  });

  // Written for the test, in the shape of real reports of an air crash.
  const crash = [
    'The plane carrying the Chapecoense squad crashed near Medellin. Survivors included Alan Ruschel and ' +
      'Jakson Follmann. The club Chapecoense was flying to face Atletico Nacional of Medellin in the final.',
    'El avión del Chapecoense cayó cerca de Medellín. Sobrevivieron los futbolistas Jakson Follmann, Hélio ' +
      'Zampier Neto y Alan Ruschel. El cerro pasará a llamarse Cerro Chapecoense, dijo el gobernador.',
    'O avião da Chapecoense caiu perto de Medellín. Os sobreviventes são Alan Ruschel e Follmann, e o ' +
      'goleiro Danilo morreu no hospital.',
  ];

  it('makes a theme of a three-letter English word the articles keep using, but not of Portuguese ones', () => {
    const articles = [
      'A mining dam collapsed in Brazil. The dam held waste, and the dam failure buried homes.',
      'The dam gave way after rain. Rescuers searched the mud below the dam.',
      'A barragem rompeu e o rio foi atingido. O rio recebeu a lama, e o rio mudou de cor.',
    ];
    const phrases = draftStoryline(articles, { id: 'dam', title: 'Dam' }).themes.flatMap((t) =>
      Object.values(t.phrases).flat(),
    );
    expect(phrases).toContain('dam');
    expect(phrases).not.toContain('rio');
  });

  it('splits names joined by "and" in any language, so each person of a list is an actor', () => {
    const names = draftStoryline(crash, { id: 'crash', title: 'Crash' }).actors.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['Alan Ruschel', 'Jakson Follmann']));
    expect(names.some((n) => / [ye] /.test(n))).toBe(false);
  });

  it('keeps a name of several words met once, with the two-word form headlines shorten it to', () => {
    const articles = [
      'Twelve boys were found alive in the Tham Luang Nan Non cave after nine days. Divers reached the boys.',
      'Los niños fueron encontrados vivos en la cueva. Los buzos llegaron hasta los niños.',
      'Os meninos foram encontrados vivos na caverna. Os mergulhadores chegaram aos meninos.',
    ];
    const cave = draftStoryline(articles, { id: 'cave', title: 'Cave' }).actors.find(
      (a) => a.name === 'Tham Luang Nan Non',
    );
    expect(cave?.aliases.en).toEqual(expect.arrayContaining(['Tham Luang Nan Non', 'Tham Luang']));
    // A single capitalised word met once is not kept: it is too often a sentence's first word.
    const lone = draftStoryline(['Celebrations followed. The boys were found alive in a cave.'], {
      id: 'x',
      title: 'X',
    }).actors.map((a) => a.name);
    expect(lone).not.toContain('Celebrations');
  });

  it('makes a country of a name of several words that is one, however often it is met', () => {
    const actors = draftStoryline(
      ['Petro spoke. Petro said the United States had revoked his visa. Petro left.'],
      { id: 'visa', title: 'Visa' },
    ).actors;
    expect(actors.find((a) => a.name === 'United States')).toMatchObject({
      kind: 'place',
      group: 'setting',
      aliases: { es: ['Estados Unidos'], pt: ['Estados Unidos'] },
    });
  });

  it('keeps a name used alone apart from the fuller name of something named after it', () => {
    const actors = draftStoryline(crash, { id: 'crash', title: 'Crash' }).actors;
    const club = actors.find((a) => a.name === 'Chapecoense');
    // The club the articles write "del Chapecoense", "da Chapecoense" about is the story's own.
    expect(club).toMatchObject({ kind: 'organisation', group: 'story' });
    expect(Object.values(club?.aliases ?? {}).flat()).not.toContain('Cerro Chapecoense');
    // "Medellin" after "of" is where the club is from, not its surname.
    const medellin = actors.find((a) => a.name === 'Medellin');
    expect(medellin).toMatchObject({ kind: 'place', group: 'setting' });
    expect(Object.values(medellin?.aliases ?? {}).flat()).not.toContain('Atletico Nacional of Medellin');
  });
});

describe('draftStoryline across languages', () => {
  const articles = [
    'Vireo Canal Blockage Enters Its Third Day\n' +
      'The blockage of the Vireo Canal by the Marlin Crest worries traders. Egypt said the blockage ' +
      'could last. The Vireo Canal carries a tenth of world trade.',
    'El canal de Vireo sigue cerrado\n' +
      'El Marlin Crest quedó encallado en el Canal de Vireo. Egipto dijo que el buque encallado ' +
      'será liberado. La Autoridad del Canal de Vireo pidió calma; la Autoridad del Canal de Vireo ' +
      'espera un acuerdo.',
    'O Canal de Vireo continua fechado\n' +
      'O Marlin Crest ficou encalhado no Canal de Vireo. O Egito disse que o navio encalhado será ' +
      'liberado em breve.',
  ];
  const storyline = draftStoryline(articles, { id: 'vireo', title: 'Vireo' });

  it('makes one actor of a name however each language orders and spells it', () => {
    const canal = storyline.actors.filter((a) => a.name.toLowerCase().includes('vireo'));
    expect(canal.filter((a) => a.kind === 'place')).toHaveLength(1);
    const forms = Object.values(canal.find((a) => a.kind === 'place')?.aliases ?? {}).flat();
    expect(forms).toEqual(expect.arrayContaining(['Vireo Canal', 'Canal de Vireo']));
    const egypt = storyline.actors.filter((a) => ['Egypt', 'Egipto', 'Egito'].includes(a.name));
    expect(egypt).toHaveLength(1);
    expect(storyline.actors.map((a) => a.name)).toContain('Autoridad del Canal de Vireo');
    expect(storyline.actors.map((a) => a.name)).not.toContain('Autoridad');
  });

  it('gives a theme verb the forms headlines write, and finds the story with them', () => {
    const phrases = storyline.themes.flatMap((t) => Object.values(t.phrases).flat());
    expect(phrases).toEqual(expect.arrayContaining(['blockage', 'blocked', 'encalhado', 'encalhou']));
    const matcher = new StorylineMatcher(storyline);
    expect(matcher.match({ title: 'Ship blocked in the Vireo Canal' }).relevant).toBe(true);
    expect(matcher.match({ title: 'Navio encalhou no Canal de Vireo' }).relevant).toBe(true);
    expect(matcher.match({ title: 'Vireo Canal raises its fees' }).relevant).toBe(false);
  });

  it("files a theme's likely spellings under the languages whose article lacked it", () => {
    const encalhado = storyline.themes.find((t) => t.phrases.pt?.includes('encalhado'));
    expect(encalhado?.phrases.es).toEqual(expect.arrayContaining(['encallado', 'encalla']));
    const matcher = new StorylineMatcher(storyline);
    expect(matcher.match({ title: 'Un buque encalla en el Canal de Vireo' }).relevant).toBe(true);
  });

  it('starts from the prior of its own vocabulary, a protagonist of most articles weighing most', () => {
    expect(storyline.decision).toEqual(priorDecision(storyline));
    expect(storyline.actors.find((a) => a.name === 'Marlin Crest')?.weight).toBe(5);
    const matcher = new StorylineMatcher(storyline);
    expect(matcher.match({ title: 'Marlin Crest finally leaves' }).relevant).toBe(true);
  });
});

describe('a draft takes themes from every language, however long each article is', () => {
  it('the short English article still gives its words when a long Spanish one repeats many', () => {
    const spanish =
      'Rescate en la cueva\n' +
      'Los buzos del equipo de rescate buscan a los niños atrapados. El equipo de rescate trabaja con bombas. '.repeat(
        6,
      ) +
      'La lluvia complica la búsqueda y la evacuación. La lluvia sigue; la búsqueda y la evacuación siguen.';
    const english =
      'Divers Rescue Boys\nDivers rescued the trapped boys. The divers said the trapped boys are safe.';
    const storyline = draftStoryline([spanish, english], { id: 'cave', title: 'Cave', maxThemes: 4 });
    const labels = storyline.themes.map((t) => t.label);
    expect(labels).toEqual(expect.arrayContaining(['divers', 'rescate']));
    expect(storyline.themes.find((t) => t.label === 'divers')?.phrases.en).toEqual(['divers']);
  });
});

describe('draftStoryline on a list of officials and an organisation known by its acronym', () => {
  const articles = [
    'ZOFA officials held in Geneva\n' +
      'Police in Geneva held officials of ZOFA, the rowing federation, over corruption. Among them were ' +
      'Ana Lucía Berrondo (Peru), Tomas Vidal (Chile) and Ana Lucía Berrondo again. ZOFA said the corruption ' +
      'charges concern its rowing cups.',
    'Detienen a dirigentes de la ZOFA\n' +
      'La policía detuvo a dirigentes de la ZOFA por corrupción. Ana Lucía Berrondo (Perú) y Tomas Vidal ' +
      '(Chile) están entre los detenidos. La corrupción en la ZOFA viene de lejos.',
    'Dirigentes da ZOFA presos\n' +
      'A polícia prendeu dirigentes da ZOFA por corrupção. Ana Lucía Berrondo e Tomas Vidal foram presos; ' +
      'a corrupção na ZOFA é antiga.',
  ];
  const storyline = draftStoryline(articles, { id: 'zofa', title: 'Zofa' });

  it('ends a name at an opening bracket: the country after it is not a surname', () => {
    const names = storyline.actors.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['Ana Lucía Berrondo', 'Tomas Vidal']));
    expect(names).not.toContain('Ana Lucía Berrondo Peru');
    expect(names).not.toContain('Tomas Vidal Chile');
  });

  it('gives a four-letter acronym its written-as-a-word form, which headlines in any case meet', () => {
    const zofa = storyline.actors.find((a) => a.name === 'ZOFA');
    expect(Object.values(zofa?.aliases ?? {}).flat()).toEqual(expect.arrayContaining(['ZOFA', 'Zofa']));
    const matcher = new StorylineMatcher(storyline);
    expect(matcher.match({ title: 'Zofa: dirigentes presos por corrupção' }).actors).toContain(zofa?.id);
  });

  it('makes one theme of words whose spellings in each language are the same theme', () => {
    const corruption = storyline.themes.filter((t) =>
      Object.values(t.phrases)
        .flat()
        .some((p) => ['corruption', 'corrupcion', 'corrupcao'].includes(p)),
    );
    expect(corruption).toHaveLength(1);
  });
});

describe('a short acronym keeps to capitals', () => {
  it('gives no word form to an acronym of two or three letters, nor to one that is a common word', () => {
    const articles = [
      'The UN and PARA met\nThe UN said PARA and the UN would meet again. PARA agreed with the UN.',
      'La ONU y PARA\nLa ONU dijo que PARA y la ONU seguirán. PARA y la ONU firmaron.',
    ];
    const aliases = draftStoryline(articles, { id: 'x', title: 'X' }).actors.flatMap((a) =>
      Object.values(a.aliases).flat(),
    );
    expect(aliases).not.toEqual(expect.arrayContaining(['Un']));
    expect(aliases).not.toContain('Onu');
    expect(aliases).not.toContain('Para');
  });

  it('makes no acronym of a Roman numeral, organisations of an assembly and a motor company, and no themes of possessives or common verbs', () => {
    const articles = [
      'Houve referendo na Catalunha\nO nosso povo votou, disse a minha vizinha. Houve referendo apesar da polícia; ' +
        'o nosso voto conta, e a minha rua votou. A Fase II do plano começou. A Assembleia Nacional e a ' +
        'Nissan Motor reuniram-se.',
      'The police gave no ground\nThe police gave orders in Catalunha as the vote went on. Voters gave their ' +
        'answer in Phase II; the police gave way by night in Catalunha.',
    ];
    const storyline = draftStoryline(articles, { id: 'x', title: 'X' });
    expect(storyline.actors.map((a) => a.name)).not.toContain('II');
    expect(storyline.actors.find((a) => a.name === 'Assembleia Nacional')?.kind).toBe('organisation');
    expect(storyline.actors.find((a) => a.name === 'Nissan Motor')?.kind).toBe('organisation');
    const phrases = storyline.themes.flatMap((t) => Object.values(t.phrases).flat());
    expect(phrases).toEqual(expect.arrayContaining(['referendo', 'police']));
    for (const generic of ['houve', 'nosso', 'minha', 'gave', 'houve referendo'])
      expect(phrases).not.toContain(generic);
  });
});

describe('companies', () => {
  it('leaves the legal form out of a name and answers to the short name headlines use', () => {
    const articles = [
      'Prosecutors arrested the chairman of Toyama Motor Co. on Monday. Toyama Motor said its board would ' +
        'meet. Its partner Lumière SA said it was watching; Lumière SA shares fell.',
      'The board of Toyama Motor Co. removed its chairman. Lumière SA kept him. Toyama Motor said the vote ' +
        'was unanimous. Guaidó se reunió con la junta.',
    ];
    const actors = draftStoryline(articles, { id: 'x', title: 'X' }).actors;
    const toyama = actors.find((a) => a.name === 'Toyama Motor');
    expect(toyama).toMatchObject({ kind: 'organisation' });
    expect(toyama?.aliases.en).toContain('Toyama');
    expect(actors.find((a) => a.name === 'Lumière')).toMatchObject({ kind: 'organisation', group: 'story' });
    const names = actors.map((a) => a.name);
    for (const form of ['SA', 'Co', 'Toyama Motor Co']) expect(names).not.toContain(form);
    // A lower-case "se" is a Spanish pronoun, not a European company's legal form.
    expect(actors.find((a) => a.name === 'Guaidó')?.kind).not.toBe('organisation');
  });

  it('never shortens a company to a country or its people', () => {
    const articles = [
      'Carriers agree a deal\nThe deal was signed on Monday by Singapore Airlines, whose board said that the ' +
        'partner American Airlines would share its routes with it from the spring; both said that the routes ' +
        'would stay as they are until then, and Singapore Airlines added that fares would not change.',
      'The partners expand\nAfter the deal, American Airlines said that it would add flights, and the chief of ' +
        'Singapore Airlines said that more were to come; the two said that prices would stay as they are.',
    ];
    const aliases = draftStoryline(articles, { id: 'x', title: 'X' }).actors.flatMap((a) =>
      Object.values(a.aliases).flat(),
    );
    expect(aliases).toEqual(expect.arrayContaining(['Singapore Airlines', 'American Airlines']));
    expect(aliases).not.toContain('American');
    expect(aliases.filter((a) => a === 'Singapore')).toEqual([]);
  });
});

describe('a person of a country', () => {
  it('keeps the country out of the name, as a place of its own, but not out of an organisation of it', () => {
    const articles = [
      'President Ramiro Quispe of Bolivia resigned on Sunday after weeks of protests over the vote count. ' +
        'Ramiro Quispe of Bolivia said that the banks, the Banco de Bolivia among them, would stay open.',
      'Ramiro Quispe renunció tras semanas de protestas por el recuento de votos. El Banco de Bolivia ' +
        'abrió sus puertas; Ramiro Quispe salió del país en un avión militar.',
    ];
    const actors = draftStoryline(articles, { id: 'x', title: 'X' }).actors;
    const names = actors.map((a) => a.name);
    expect(names).toContain('Ramiro Quispe');
    expect(names).not.toContain('Ramiro Quispe of Bolivia');
    expect(actors.find((a) => a.name === 'Bolivia')).toMatchObject({ kind: 'place', group: 'setting' });
    expect(names).toContain('Banco de Bolivia');
  });
});
