// Wire types for the CodeView HTTP API, mirroring docs/api.md exactly (snake_case as sent).
// Keep this file free of logic: it is the one place to update when the server's shapes change.

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
] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_LABELS: Record<Language, string> = {
  python: 'Python',
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  java: 'Java',
  c: 'C',
  cpp: 'C++',
  rust: 'Rust',
  go: 'Go',
};

export interface User {
  id: Uuid;
  email: string;
  name: string;
  created_at: Timestamp;
}

export interface CandidateIdentity {
  interview_id: Uuid;
  name: string;
}

/** `GET /api/auth/me`: an account session, or a candidate session (no account). */
export interface MeResponse {
  user: User | null;
  candidate?: CandidateIdentity | null;
}

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface TestCase {
  id: Uuid;
  input: string;
  expected_output: string;
  hidden: boolean;
}

export interface Question {
  id: Uuid;
  /** The workspace it belongs to; null for the starter library (`builtin: true`). */
  workspace_id: Uuid | null;
  title: string;
  prompt: string;
  difficulty: Difficulty;
  category: string;
  tags: string[];
  starter_code: Partial<Record<Language, string>>;
  test_cases: TestCase[];
  /** How many test cases are hidden (candidates and observers only receive the visible ones). */
  hidden_test_count?: number;
  /** Starter-library questions are read-only (PATCH/DELETE → 403 `builtin_question`). */
  builtin: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A test case as sent: existing cases keep their `id` when edited, new ones have none. */
export interface TestCaseInput {
  id?: Uuid;
  input: string;
  expected_output: string;
  hidden: boolean;
}

export interface QuestionInput {
  /** Only on create (required by the server when the caller has several workspaces). */
  workspace_id?: Uuid;
  title: string;
  prompt: string;
  difficulty: Difficulty;
  category: string;
  tags?: string[];
  starter_code?: Partial<Record<Language, string>>;
  test_cases?: TestCaseInput[];
}

export interface QuestionFilters {
  /** The workspace whose questions to list (the starter library always comes too). */
  workspace?: Uuid;
  difficulty?: Difficulty | '';
  category?: string;
  tag?: string;
  q?: string;
}

export interface Category {
  name: string;
  count: number;
}

export const INTERVIEW_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];

export type Role = 'host' | 'interviewer' | 'observer' | 'candidate';
export type InvitableRole = 'interviewer' | 'observer';

export interface Interview {
  id: Uuid;
  /** Absent for candidates. */
  workspace_id?: Uuid;
  title: string;
  status: InterviewStatus;
  room_code: string;
  language: Language | null;
  scheduled_at: Timestamp | null;
  duration_minutes: number | null;
  question_ids: Uuid[];
  candidate_name: string | null;
  candidate_email: string | null;
  created_by: Uuid;
  created_at: Timestamp;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  my_role: Role | null;
}

export interface InterviewInput {
  /** Only on create (required by the server when the caller has several workspaces). */
  workspace_id?: Uuid;
  title: string;
  scheduled_at?: Timestamp | null;
  duration_minutes?: number | null;
  language?: Language | null;
  question_ids?: Uuid[];
  candidate_name?: string | null;
  candidate_email?: string | null;
}

export interface Participant {
  id: Uuid;
  user_id: Uuid | null;
  name: string;
  email: string | null;
  role: Role;
}

export interface InterviewDetail {
  interview: Interview;
  participants: Participant[];
  questions: Question[];
  candidate_invite_url?: string;
}

export interface CreatedInterview {
  interview: Interview;
  candidate_invite_url: string;
}

/** `GET /api/interviews/room/{code}?invite=…`: what the holder of an invite link may see. */
export interface RoomInfo {
  interview_id: Uuid;
  title: string;
  status: InterviewStatus;
  room_code: string;
  scheduled_at: Timestamp | null;
  duration_minutes?: number | null;
  candidate_name?: string | null;
}

export interface JoinResult {
  interview: Interview;
  participant: Participant;
}

// ---------- Workspaces (hiring teams) ----------

export const WORKSPACE_ROLES = ['owner', 'admin', 'member'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export interface RubricCriterion {
  name: string;
  description: string;
}

export interface Workspace {
  id: Uuid;
  name: string;
  my_role: WorkspaceRole;
  default_language: Language;
  default_duration_minutes: number;
  default_rubric: RubricCriterion[];
  /** Code runs allowed per day in this workspace; null means no limit. */
  runs_per_day: number | null;
  member_count: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** `PATCH /api/workspaces/{id}`: any subset; `runs_per_day: null` removes the limit. */
export interface WorkspaceInput {
  name?: string;
  default_language?: Language;
  default_duration_minutes?: number;
  default_rubric?: RubricCriterion[];
  runs_per_day?: number | null;
}

export interface WorkspaceMember {
  user_id: Uuid;
  name: string;
  email: string;
  role: WorkspaceRole;
  joined_at: Timestamp;
}

/** A pending invitation to a workspace, as its owners and admins see it. */
export interface WorkspaceInvite {
  id: Uuid;
  email: string;
  role: WorkspaceRole;
  /** The inviter's name (null once their account is gone). */
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** `POST /api/workspaces/{id}/invites`: the link can always be copied; it was emailed if `email_sent`. */
export interface CreatedWorkspaceInvite {
  invite: WorkspaceInvite;
  invite_url: string;
  email_sent: boolean;
}

/** `GET /api/workspace-invites/{token}`: what the holder of an invite link may see (no sign-in needed). */
export interface InvitePreview {
  workspace_name: string;
  email: string;
  role: WorkspaceRole;
  invited_by: string | null;
  expires_at: Timestamp;
}

export const REGISTRATION_MODES = ['open', 'invite-only', 'closed'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];
