import type { Language } from './storyline-schema.ts';

/**
 * Words that say nothing about which story an article tells: function words, and the vocabulary
 * every news report uses (reporting verbs, time, generic office and place words). A draft never
 * makes a theme of them, and a capitalised one at the start of a sentence is not a name.
 * Folded (lower case, no diacritics), so they compare with `Token.folded`.
 */
const FUNCTION_WORDS: Record<Language, string> = {
  en:
    'a an the of in on at to for from by with and or nor as is are was were be been being am has have had do does did ' +
    'it its this that these those he she they we you i me him her them us our your their his my mine who whom whose ' +
    'which what when where why how not no yes but if than then so such into onto over under after before about above ' +
    'below against between through during without within also more most less least other others some any each every ' +
    'only own same very can will would could should may might must shall just even still yet too both either neither ' +
    'all few many much one two three four five six seven eight nine ten first second third last next new old up down ' +
    'out off again once here there now while until since because though although whether via per among across around ' +
    'upon toward towards along amid despite unless whose whom itself themselves himself herself ours theirs hers ' +
    'now then here there always never almost already soon often something someone anything anyone nothing ' +
    'nobody everyone everything really back away being having doing done went',
  es:
    'el la lo los las un una unos unas de del en con por para y e o u ni que se su sus al es son fue fueron era eran ' +
    'ser sido siendo ha han habia habian hay tras ante bajo sobre como mas menos pero sin entre hasta desde cuando ' +
    'donde quien quienes cual cuales ya muy tambien este esta esto estos estas ese esa eso esos esas aquel aquella le ' +
    'les nos me te mi tu yo el ella ellos ellas nosotros usted ustedes porque aunque si no mientras durante segun ' +
    'contra hacia otro otra otros otras todo toda todos todas cada mismo misma mismos mismas uno dos tres cuatro cinco ' +
    'seis siete ocho nueve diez primer primero primera segundo segunda ultimo ultima nuevo nueva nuevos nuevas ademas ' +
    'solo sino tanto tanta tantos tantas cuyo cuya asi aun mediante puede pueden podria debe deben tiene tienen tenia tenian ' +
    // Adverbs, pronouns and the forms of verbs any report uses ("dijeron", "tendran"): never a theme.
    'ahora despues antes entonces aqui alli ahi alla todavia siempre nunca casi bien mal mucho mucha muchos muchas ' +
    'poco poca pocos pocas algo alguien nada nadie algun alguno alguna algunos algunas ningun ninguno ninguna ' +
    'dijeron decir hacer hace hacen hizo hicieron hecho tener tuvo tuvieron tendra tendran estar estan estaba ' +
    'estaban estuvo estuvieron sera seran habra habran haber podra podran pudo pudieron quiere quieren queria ' +
    'ir va van iba iban dar da dan dio dieron ver vio vieron saber sabe creo cree creen pregunto preguntaron ' +
    'respondio esperar espera esperan llegar llego llegaron dejar dejo quedar quedo quedaron pasar paso pasaron ' +
    'parece seguir tal tales cosa cosas momento lugar hubo habra ' +
    'mio mia mios mias tuyo tuya nuestro nuestra nuestros nuestras vuestro vuestra suyo suya suyos suyas',
  pt:
    'o a os as um uma uns umas de do da dos das em no na nos nas neste nesta nestes nestas nesse nessa deste desta por pelo pela pelos pelas para com e ou nem que se seu ' +
    'sua seus suas ao aos foi foram era eram ser sido sendo ha tem tinha sobre como mais menos mas sem entre ate desde ' +
    'quando onde quem qual quais ja muito tambem este esta isto estes estas esse essa isso esses essas aquele aquela ' +
    'lhe lhes me te eu tu ele ela eles elas nao sim porque embora enquanto durante segundo contra outro outra outros ' +
    'outras todo toda todos todas cada mesmo mesma uns dois tres quatro cinco seis sete oito nove dez primeiro primeira ' +
    'ultimo ultima novo nova novos novas alem apenas so tanto assim ainda pode podem deve devem apos num numa dum duma ' +
    'agora depois antes entao aqui ali la sempre nunca quase bem mal muita muitos muitas pouco pouca poucos poucas ' +
    'algo alguem nada ninguem algum alguma alguns algumas nenhum nenhuma disseram dizer fazer faz fazem fez fizeram ' +
    'feito ter teve tiveram tera terao estar estao estava estavam esteve estiveram sera serao havera haver podera ' +
    'poderao pude puderam quer querem queria ir vai vao ia iam dar deu deram ver viu viram saber sabe acha ' +
    'perguntou perguntaram respondeu esperar espera esperam chegar chegou chegaram deixar deixou ficar ficou ' +
    'ficaram passar passou passaram parece seguir coisa coisas momento lugar houve havia ' +
    'meu minha meus minhas teu tua teus tuas nosso nossa nossos nossas vosso vossa dele dela deles delas ' +
    // "sexta-feira": the weekday's second half, once the hyphen splits it.
    'feira',
};

const NEWS_WORDS: Record<Language, string> = {
  en:
    'said says say saying told tell tells telling according reported reports report reporting reporters announced ' +
    'announcement statement statements added noted stated claimed asked call called calls described warned wrote posted ' +
    'news press media article story stories update updated updates live breaking editor correspondent agency ' +
    'today yesterday tomorrow tonight morning afternoon evening night week weeks weekend month months year years day ' +
    'days hour hours minute minutes time times date monday tuesday wednesday thursday friday saturday sunday ' +
    'january february march april may june july august september october november december ago later earlier recent ' +
    'recently early late former current currently official officials government governments country countries ' +
    'people person man woman men women percent number numbers part parts way ways thing things case cases ' +
    'including include includes included however meanwhile also well like make makes made take takes took taken ' +
    'get gets got give gives gave given going go goes went come comes came see seen know known want wants think ' +
    'help show shows showed use used using set put keep kept many several likely possible major key top high ' +
    'large small big long little good great best better public national international world global local ' +
    'source sources share click subscribe sign read comments copyright rights reserved photo image video caption follow ' +
    'suspected alleged allegedly immediate immediately continue continues continued remain remains remained ' +
    'president minister secretary spokesman spokesperson spokeswoman leader leaders chief head office told',
  es:
    'dijo dice dicen afirmo aseguro senalo indico explico anuncio informo agrego sostuvo declaro manifesto ' +
    'anuncia anuncian anunciaron afirma afirman asegura aseguran informa informan ' +
    'segun noticia noticias prensa medios articulo actualizado hoy ayer manana noche tarde semana semanas mes meses ' +
    'ano anos dia dias hora horas minuto minutos tiempo fecha lunes martes miercoles jueves viernes sabado domingo ' +
    'enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre ' +
    'gobierno pais paises persona personas parte caso casos forma manera vez veces millones mil hace luego ' +
    'presidente ministro ministra mandatario funcionario funcionarios oficial autoridades jefe portavoz ' +
    'nacional internacional mundial publico publica gran grande mayor menor mejor ' +
    'sigue siguen seguira continua continuan permanece permanecen presunto presunta presuntos presuntas supuesto supuesta supuestos supuestas inmediata inmediato ' +
    'lea leer compartir comentarios suscribete foto video fuente redaccion',
  pt:
    'disse diz dizem afirmou declarou informou anunciou explicou acrescentou segundo noticia noticias imprensa ' +
    'anuncia anunciam anunciaram afirma afirmam informa informam ' +
    'hoje ontem amanha noite tarde semana semanas mes meses ano anos dia dias hora horas minuto minutos tempo ' +
    'segunda terca quarta quinta sexta sabado domingo janeiro fevereiro marco abril maio junho julho agosto ' +
    'setembro outubro novembro dezembro governo pais paises pessoa pessoas parte caso casos forma vez vezes ' +
    'milhoes mil presidente ministro ministra autoridades chefe porta voz nacional internacional mundial ' +
    'continua continuam segue seguem permanece suposto suposta supostos supostas imediata imediato ' +
    'publico publica grande maior menor melhor leia compartilhe comentarios foto video fonte redacao',
};

const wordSet = (byLanguage: Record<Language, string>) =>
  new Set(Object.values(byLanguage).flatMap((words) => words.split(' ')));

/** Function words of en, es and pt. */
export const FUNCTION_WORD_SET: ReadonlySet<string> = wordSet(FUNCTION_WORDS);
/** Function words and generic news vocabulary: never a theme. */
export const COMMON_WORD_SET: ReadonlySet<string> = new Set([...FUNCTION_WORD_SET, ...wordSet(NEWS_WORDS)]);

/** Words each language uses most, to tell an article's language. */
export const LANGUAGE_MARKERS: Record<Language, ReadonlySet<string>> = {
  en: new Set(['the', 'and', 'of', 'to', 'is', 'was', 'with', 'that', 'for', 'has', 'have', 'said']),
  es: new Set(['el', 'los', 'las', 'del', 'y', 'que', 'una', 'por', 'con', 'para', 'como', 'segun']),
  pt: new Set(['o', 'os', 'do', 'da', 'dos', 'e', 'em', 'uma', 'com', 'nao', 'para', 'pelo', 'pela']),
};

/**
 * Titles written before a name ("President Trump", "el ministro Benedetti"): not part of the name.
 * Folded, without the trailing dot of abbreviations.
 */
export const TITLES: ReadonlySet<string> = new Set(
  (
    'president presidente presidenta sen senator senador senadora rep representative minister ministro ministra ' +
    'secretary secretario secretaria gen general adm admiral almirante capt captain capitan capitao col colonel ' +
    'coronel dr doctor mr mrs ms sr sra don dona king rey rei queen reina pope papa prince principe prime premier ' +
    'chancellor canciller governor gobernador governador mayor alcalde prefeito judge juez juiz ambassador embajador ' +
    'embaixador lt lieutenant sgt sergeant gov atty attorney deputy vice ceo chairman'
  ).split(' '),
);

/** Bylines and credits that name news agencies and outlets rather than anyone in the story. */
export const NEWS_OUTLETS: ReadonlySet<string> = new Set(
  (
    'reuters ap afp efe ansa dpa bloomberg cnn bbc nbc cbs abc fox npr xinhua sputnik getty images associated ' +
    'press agence france presse europa twitter facebook instagram youtube whatsapp telegram tiktok'
  ).split(' '),
);
