// Keyword, builtin and snippet completions for the room's languages without a language
// service in the browser (all but JavaScript and TypeScript): one table of plain data, and the
// pure function that turns it into completion items. JavaScript and TypeScript get Monaco's
// TypeScript service instead (typescriptService.ts). Snippet bodies use Monaco's snippet
// syntax: `${1:name}` is a tab stop with a placeholder, `$0` where the cursor ends.

import { LANGUAGES, type Language } from '../../../../api/types';

export type CompletionKind = 'keyword' | 'builtin' | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  /** What is inserted; a snippet's body. Defaults to the label. */
  insertText?: string;
  /** Shown beside the label. */
  detail?: string;
}

export interface LanguageCompletionData {
  keywords: readonly string[];
  builtins: readonly string[];
  snippets: readonly { label: string; body: string; detail: string }[];
}

/** The languages with a language service in the browser (typescriptService.ts), not this table. */
const SERVICE_LANGUAGES = ['javascript', 'typescript'] as const;

/** The languages this table covers, as the room names them (editorLanguage.ts gives Monaco's
 * id of each): every language but those with a language service. */
export type KeywordLanguage = Exclude<Language, (typeof SERVICE_LANGUAGES)[number]>;
export const KEYWORD_LANGUAGES: readonly KeywordLanguage[] = LANGUAGES.filter(
  (language): language is KeywordLanguage => !(SERVICE_LANGUAGES as readonly string[]).includes(language),
);

/** A list of words written as one space-separated string. */
function words(list: string): readonly string[] {
  return list.split(/\s+/).filter((word) => word !== '');
}

const C_KEYWORDS = words(`
  auto break case char const continue default do double else enum extern float for goto if inline int long
  register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while
  bool true false NULL`);

const C_BUILTINS = words(`
  printf scanf puts getchar malloc calloc realloc free memset memcpy strlen strcmp strcpy strncpy qsort abs
  size_t`);

const C_FAMILY_SNIPPETS = [
  { label: 'for', detail: 'for loop', body: 'for (int ${1:i} = 0; ${1:i} < ${2:n}; ${1:i}++) {\n\t$0\n}' },
  { label: 'while', detail: 'while loop', body: 'while (${1:condition}) {\n\t$0\n}' },
  { label: 'if', detail: 'if statement', body: 'if (${1:condition}) {\n\t$0\n}' },
];

/** Per language: keywords, common builtins and a handful of snippets. */
export const COMPLETION_DATA: Record<KeywordLanguage, LanguageCompletionData> = {
  python: {
    keywords: words(`
      False None True and as assert async await break class continue def del elif else except finally for
      from global if import in is lambda nonlocal not or pass raise return try while with yield`),
    builtins: words(`
      print input len range enumerate zip map filter sorted reversed sum min max abs any all int float str bool
      list dict set tuple isinstance open ord chr divmod pow round super collections heapq itertools functools`),
    snippets: [
      { label: 'def', detail: 'function', body: 'def ${1:name}(${2:args}):\n\t${0:pass}' },
      { label: 'for', detail: 'for loop', body: 'for ${1:item} in ${2:items}:\n\t${0:pass}' },
      { label: 'forr', detail: 'for i in range', body: 'for ${1:i} in range(${2:n}):\n\t${0:pass}' },
      { label: 'while', detail: 'while loop', body: 'while ${1:condition}:\n\t${0:pass}' },
      { label: 'class', detail: 'class', body: 'class ${1:Name}:\n\tdef __init__(self${2:, args}):\n\t\t${0:pass}' },
      { label: 'ifmain', detail: "if __name__ == '__main__'", body: "if __name__ == '__main__':\n\t${0:main()}" },
      { label: 'try', detail: 'try/except', body: 'try:\n\t${1:pass}\nexcept ${2:Exception} as ${3:e}:\n\t${0:raise}' },
    ],
  },
  java: {
    keywords: words(`
      abstract assert boolean break byte case catch char class continue default do double else enum extends
      final finally float for if implements import instanceof int interface long new null package private
      protected public record return short static super switch this throw throws true false try var void while`),
    builtins: words(`
      String Integer Long Math System StringBuilder List ArrayList Map HashMap Set HashSet Deque ArrayDeque
      PriorityQueue Arrays Collections Scanner BufferedReader Optional`),
    snippets: [
      { label: 'main', detail: 'public static void main', body: 'public static void main(String[] args) {\n\t$0\n}' },
      { label: 'sout', detail: 'System.out.println', body: 'System.out.println($0);' },
      { label: 'for', detail: 'for loop', body: 'for (int ${1:i} = 0; ${1:i} < ${2:n}; ${1:i}++) {\n\t$0\n}' },
      { label: 'foreach', detail: 'enhanced for', body: 'for (${1:var} ${2:item} : ${3:items}) {\n\t$0\n}' },
      { label: 'if', detail: 'if statement', body: 'if (${1:condition}) {\n\t$0\n}' },
      { label: 'class', detail: 'class', body: 'class ${1:Name} {\n\t$0\n}' },
    ],
  },
  c: {
    keywords: C_KEYWORDS,
    builtins: C_BUILTINS,
    snippets: [
      ...C_FAMILY_SNIPPETS,
      { label: '#include', detail: '#include <…>', body: '#include <${1:stdio.h}>' },
      { label: 'main', detail: 'int main', body: 'int main(void) {\n\t$0\n\treturn 0;\n}' },
    ],
  },
  cpp: {
    keywords: [
      ...C_KEYWORDS,
      ...words(`
        class namespace using template typename public private protected virtual override new delete this
        nullptr constexpr try catch throw operator`),
    ],
    builtins: words(`
      std cout cin endl string vector map unordered_map set unordered_set pair queue stack priority_queue deque
      sort min max swap make_pair size_t`),
    snippets: [
      ...C_FAMILY_SNIPPETS,
      { label: '#include', detail: '#include <…>', body: '#include <${1:iostream}>' },
      { label: 'main', detail: 'int main', body: 'int main() {\n\t$0\n\treturn 0;\n}' },
      { label: 'forr', detail: 'range for', body: 'for (${1:auto}& ${2:item} : ${3:items}) {\n\t$0\n}' },
    ],
  },
  rust: {
    keywords: words(`
      as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref
      return self Self static struct super trait true type unsafe use where while async await dyn`),
    builtins: words(`
      println! print! eprintln! format! vec! assert! assert_eq! panic! Vec String Option Some None Result Ok Err
      Box HashMap HashSet BTreeMap VecDeque usize i32 i64 u64 f64 bool char str`),
    snippets: [
      { label: 'fn', detail: 'function', body: 'fn ${1:name}(${2}) -> ${3:()} {\n\t$0\n}' },
      { label: 'main', detail: 'fn main', body: 'fn main() {\n\t$0\n}' },
      {
        label: 'match',
        detail: 'match expression',
        body: 'match ${1:value} {\n\t${2:pattern} => ${3:todo!()},\n\t_ => $0,\n}',
      },
      { label: 'for', detail: 'for loop', body: 'for ${1:item} in ${2:items} {\n\t$0\n}' },
      { label: 'iflet', detail: 'if let Some', body: 'if let Some(${1:value}) = ${2:option} {\n\t$0\n}' },
      { label: 'struct', detail: 'struct', body: 'struct ${1:Name} {\n\t$0\n}' },
    ],
  },
  go: {
    keywords: words(`
      break case chan const continue default defer else fallthrough for func go goto if import interface map
      package range return select struct switch type var nil true false`),
    builtins: words(`
      append cap copy delete len make new panic recover min max fmt Println Printf Sprintf strings strconv sort
      error int int64 string byte rune bool float64`),
    snippets: [
      { label: 'func', detail: 'function', body: 'func ${1:name}(${2}) ${3:error} {\n\t$0\n}' },
      { label: 'main', detail: 'func main', body: 'func main() {\n\t$0\n}' },
      { label: 'iferr', detail: 'if err != nil', body: 'if err != nil {\n\treturn ${1:err}\n}' },
      { label: 'for', detail: 'for loop', body: 'for ${1:i} := 0; ${1:i} < ${2:n}; ${1:i}++ {\n\t$0\n}' },
      { label: 'forr', detail: 'for range', body: 'for ${1:_}, ${2:v} := range ${3:items} {\n\t$0\n}' },
      { label: 'fmtp', detail: 'fmt.Println', body: 'fmt.Println($0)' },
    ],
  },
  ruby: {
    keywords: words(`
      BEGIN END alias and begin break case class def defined? do else elsif end ensure false for if in module
      next nil not or redo rescue retry return self super then true undef unless until when while yield`),
    builtins: words(`
      puts print p gets require attr_accessor attr_reader each map select reject reduce sort sort_by min max sum
      each_with_index times upto Array Hash Set String Integer Comparable Struct freeze`),
    snippets: [
      { label: 'def', detail: 'method', body: 'def ${1:name}(${2:args})\n\t$0\nend' },
      { label: 'each', detail: 'each block', body: '${1:items}.each do |${2:item}|\n\t$0\nend' },
      { label: 'if', detail: 'if statement', body: 'if ${1:condition}\n\t$0\nend' },
      { label: 'class', detail: 'class', body: 'class ${1:Name}\n\tdef initialize(${2:args})\n\t\t$0\n\tend\nend' },
      { label: 'times', detail: 'n.times', body: '${1:n}.times do |${2:i}|\n\t$0\nend' },
    ],
  },
  php: {
    keywords: words(`
      abstract and array as break case catch class clone const continue declare default do echo else elseif
      empty enum extends final finally fn for foreach function global if implements instanceof interface isset
      list match new null or private protected public readonly return static switch throw true false try unset
      use while yield`),
    builtins: words(`
      count strlen str_repeat str_split explode implode trim intval array_map array_filter array_sum array_keys
      array_values array_reverse array_slice in_array sort usort ksort min max abs intdiv SplStack SplQueue
      SplMinHeap SplMaxHeap SplPriorityQueue PHP_INT_MAX`),
    snippets: [
      { label: 'function', detail: 'function', body: 'function ${1:name}(${2:args}): ${3:int}\n{\n\t$0\n}' },
      { label: 'foreach', detail: 'foreach loop', body: 'foreach (${1:\\$items} as ${2:\\$item}) {\n\t$0\n}' },
      {
        label: 'for',
        detail: 'for loop',
        body: 'for (${1:\\$i} = 0; ${1:\\$i} < ${2:\\$n}; ${1:\\$i}++) {\n\t$0\n}',
      },
      { label: 'if', detail: 'if statement', body: 'if (${1:condition}) {\n\t$0\n}' },
      { label: 'echo', detail: 'echo a line', body: 'echo ${1:\\$value}, "\\\\n";' },
    ],
  },
  csharp: {
    keywords: words(`
      abstract as base bool break byte case catch char checked class const continue decimal default delegate do
      double else enum event explicit extern false finally fixed float for foreach goto if implicit in int
      interface internal is lock long namespace new null object operator out override params private protected
      public readonly ref return sbyte sealed short sizeof static string struct switch this throw true try
      typeof uint ulong unchecked unsafe ushort using var virtual void volatile while`),
    builtins: words(`
      Console WriteLine ReadLine Math List Dictionary HashSet Queue Stack SortedSet SortedDictionary
      LinkedList StringBuilder Array Enumerable Select Where OrderBy ToList ToArray Sum Min Max Count Any Parse
      BigInteger`),
    snippets: [
      { label: 'cw', detail: 'Console.WriteLine', body: 'Console.WriteLine($0);' },
      { label: 'for', detail: 'for loop', body: 'for (int ${1:i} = 0; ${1:i} < ${2:n}; ${1:i}++)\n{\n\t$0\n}' },
      { label: 'foreach', detail: 'foreach loop', body: 'foreach (var ${1:item} in ${2:items})\n{\n\t$0\n}' },
      { label: 'if', detail: 'if statement', body: 'if (${1:condition})\n{\n\t$0\n}' },
      { label: 'class', detail: 'class', body: 'class ${1:Name}\n{\n\t$0\n}' },
    ],
  },
  bash: {
    keywords: words(`
      if then else elif fi case esac for select while until do done in function time local declare readonly
      export return break continue shift exit true false`),
    builtins: words(`
      echo printf read mapfile readarray test let eval set unset source cd pwd cat sort uniq head tail wc cut
      tr grep sed awk seq`),
    snippets: [
      { label: 'for', detail: 'for loop', body: 'for ((${1:i} = 0; ${1:i} < ${2:n}; ${1:i}++)); do\n\t$0\ndone' },
      { label: 'forin', detail: 'for … in', body: 'for ${1:item} in "\\${${2:items}[@]}"; do\n\t$0\ndone' },
      { label: 'if', detail: 'if statement', body: 'if [[ ${1:condition} ]]; then\n\t$0\nfi' },
      { label: 'while', detail: 'while read', body: 'while read -r ${1:line}; do\n\t$0\ndone' },
      { label: 'function', detail: 'function', body: '${1:name}() {\n\t$0\n}' },
    ],
  },
  sql: {
    keywords: words(`
      SELECT FROM WHERE GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET DISTINCT AS JOIN INNER LEFT RIGHT FULL OUTER CROSS
      ON USING UNION ALL INTERSECT EXCEPT WITH RECURSIVE CASE WHEN THEN ELSE END AND OR NOT IN IS NULL LIKE BETWEEN
      EXISTS OVER PARTITION ROWS RANGE PRECEDING FOLLOWING CURRENT ROW`),
    builtins: words(`
      COUNT SUM AVG MIN MAX COALESCE IFNULL NULLIF ROUND ABS LENGTH LOWER UPPER TRIM SUBSTR REPLACE CAST
      ROW_NUMBER RANK DENSE_RANK LAG LEAD FIRST_VALUE LAST_VALUE NTILE GROUP_CONCAT DATE STRFTIME`),
    snippets: [
      { label: 'sel', detail: 'SELECT … FROM', body: 'SELECT ${1:columns}\nFROM ${2:table}\nWHERE ${3:condition};$0' },
      { label: 'cte', detail: 'WITH … AS', body: 'WITH ${1:name} AS (\n\t$2\n)\nSELECT $0\nFROM ${1:name};' },
      {
        label: 'rownum',
        detail: 'ROW_NUMBER() OVER',
        body: 'ROW_NUMBER() OVER (PARTITION BY ${1:column} ORDER BY ${2:column} DESC)$0',
      },
    ],
  },
};

export function isKeywordLanguage(language: string): language is KeywordLanguage {
  return (KEYWORD_LANGUAGES as readonly string[]).includes(language);
}

/**
 * Every completion of `language`, snippets first; none for a language the table does not
 * cover. A word that is both a keyword and a builtin is offered once, as a keyword.
 */
export function completionEntries(language: string): CompletionEntry[] {
  if (!isKeywordLanguage(language)) return [];
  const data = COMPLETION_DATA[language];
  const seen = new Set<string>();
  const entries: CompletionEntry[] = data.snippets.map((s) => ({
    label: s.label,
    kind: 'snippet',
    insertText: s.body,
    detail: s.detail,
  }));
  for (const [words, kind] of [
    [data.keywords, 'keyword'],
    [data.builtins, 'builtin'],
  ] as const) {
    for (const word of words) {
      if (seen.has(word)) continue;
      seen.add(word);
      entries.push({ label: word, kind, detail: kind });
    }
  }
  return entries;
}
