// The web's names for the CodeView API's wire types. The shapes themselves come from the
// server: `schema.d.ts` is generated from its OpenAPI document (`make api-types`), so a
// change on the server breaks the type check here until the web agrees. The lists below
// (languages, statuses, roles) are checked against the server's unions at compile time.
import type { components } from './schema';

export type Schemas = components['schemas'];
/** Compiles only when the list names every member of the union, and nothing else. */
export type Exactly<List, Union> = [List] extends [Union] ? ([Union] extends [List] ? true : never) : never;

export type Uuid = string;
/** RFC 3339 timestamp in UTC. */
export type Timestamp = string;

export const LANGUAGES = [
  'python',
  'javascript',
  'typescript',
  'java',
  'c',
  'cpp',
  'rust',
  'go',
  'ruby',
  'php',
  'csharp',
  'bash',
  'sql',
] as const;
export type Language = Schemas['Language'];

export const LANGUAGE_LABELS: Record<Language, string> = {
  python: 'Python',
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  java: 'Java',
  c: 'C',
  cpp: 'C++',
  rust: 'Rust',
  go: 'Go',
  ruby: 'Ruby',
  php: 'PHP',
  csharp: 'C#',
  bash: 'Bash',
  sql: 'SQL',
};

export type User = Schemas['User'];

export type CandidateIdentity = Schemas['CandidateIdentity'];

export type MeResponse = Schemas['MeResponse'];

/** A personal API token as listed (never its secret). */
export type ApiToken = Schemas['ApiToken'];
/** A token just created: its secret is in this answer only. */
export type CreatedToken = Schemas['CreateTokenResponse'];
/** A signed-in browser session of the account. */
export type AccountSession = Schemas['SessionView'];
export type ChangePasswordInput = Schemas['ChangePasswordRequest'];
export type PasswordChanged = Schemas['PasswordChanged'];

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = Schemas['Difficulty'];

export type TestCase = Schemas['TestCase'];

export type Question = Schemas['QuestionView'];

export type TestCaseInput = Schemas['TestCaseInput'];

export type QuestionInput = Schemas['CreateQuestion'];

export interface QuestionFilters {
  /** The workspace whose questions to list (the starter library always comes too). */
  workspace?: Uuid;
  difficulty?: Difficulty | '';
  category?: string;
  tag?: string;
  q?: string;
}

export type Category = Schemas['CategoryCount'];

export const INTERVIEW_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type InterviewStatus = Schemas['InterviewStatus'];

export type Role = Schemas['Role'];
export type InvitableRole = 'interviewer' | 'observer';

export type Interview = Schemas['InterviewView'];

export type InterviewInput = Schemas['InterviewInput'];

export type Participant = Schemas['ParticipantView'];

export type ParticipantAdded = Schemas['ParticipantResponse'];

/** A participant in a room socket's `presence` event: online while they have the room (or lobby) open. */
export type PresenceEntry = Schemas['PresenceEntry'];

export type InterviewDetail = Schemas['InterviewDetail'];

/** What the interviewers allow the candidate in the room (`PATCH /api/interviews/{id}/controls`). */
export type InterviewControls = Schemas['InterviewControls'];
export type ControlsInput = Schemas['ControlsInput'];

export type CreatedInterview = Schemas['CreatedInterview'];

export type RoomInfo = Schemas['RoomInfo'];

export type JoinResult = Schemas['JoinResponse'];

// ---------- Workspaces (hiring teams) ----------

export const WORKSPACE_ROLES = ['owner', 'admin', 'member'] as const;
export type WorkspaceRole = Schemas['WorkspaceRole'];

export type RubricCriterion = Schemas['RubricCriterion'];

export type Workspace = Schemas['WorkspaceView'];

/** `PATCH /api/workspaces/{id}`: any subset; `runs_per_day: null` removes the limit. */
export interface WorkspaceInput {
  name?: string;
  default_language?: Language;
  default_duration_minutes?: number;
  default_rubric?: RubricCriterion[];
  runs_per_day?: number | null;
}

export type WorkspaceMember = Schemas['MemberView'];

export type WorkspaceInvite = Schemas['InviteView'];

export type CreatedWorkspaceInvite = Schemas['CreatedInvite'];

export type InvitePreview = Schemas['InvitePreview'];

export const REGISTRATION_MODES = ['open', 'invite-only', 'closed'] as const;
export type RegistrationMode = Schemas['RegistrationMode'];

// Each runtime list names exactly the server's values.
export const LISTS_MATCH_THE_SERVER: [
  Exactly<(typeof LANGUAGES)[number], Language>,
  Exactly<(typeof DIFFICULTIES)[number], Difficulty>,
  Exactly<(typeof INTERVIEW_STATUSES)[number], InterviewStatus>,
  Exactly<(typeof WORKSPACE_ROLES)[number], WorkspaceRole>,
  Exactly<(typeof REGISTRATION_MODES)[number], RegistrationMode>,
] = [true, true, true, true, true];

/** `GET /api/interviews/{id}/summary?format=json`: everything the hiring team keeps of an interview. */
export type InterviewSummary = Schemas['InterviewSummary'];
export type SummaryQuestion = Schemas['SummaryQuestion'];
export type SummaryScores = Schemas['ExportScores'];
// Rubrics and scorecards (`/api/interviews/{id}/rubric`, `…/scorecards*`).
export type Criterion = Schemas['Criterion'];
export type CriterionInput = Schemas['CriterionInput'];
export type Rubric = Schemas['Rubric'];
export type Rating = Schemas['Rating'];
export type RatingInput = Schemas['RatingInput'];
export type Recommendation = Schemas['Recommendation'];
export type ScorecardStatus = Schemas['ScorecardStatus'];
export type Scorecard = Schemas['Scorecard'];
export type ScorecardInput = Schemas['ScorecardInput'];
export type ScorecardList = Schemas['ScorecardList'];
export type ScorecardAggregate = Schemas['Aggregate'];
