use super::api::{
    recovery_identity, recovery_link_status, recovery_step, ChooseRecovery, SetRecoveredPassword,
    StartRecovery, SubmitRecoveryQuestion, VerifyRecoveryAnswer, VerifyRecoveryCode,
};
use super::{routes, RecoveryStep};
use crate::components::card::Outcome;
use crate::components::form::{field_error, form_error, Field, FormAlert, Submit};
use crate::components::link::LinkPage;
use crate::components::step::StepCard;
use crate::domain::secret_question::{SecretQuestion, ANSWER_MAX};
use crate::error::AppError;
use crate::features::login::routes::LOGIN;
use crate::i18n::{question_text, t};
use leptos::prelude::*;

#[component]
pub fn RecoveryChoicePage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<ChooseRecovery>::new();
    let error = form_error();
    let choice_error = field_error(tx, error, "choice");
    view! {
        <h1 class="page-title">{tf.title}</h1>
        <section class="card max-w-2xl">
            <ActionForm action=action attr:class="space-y-4">
                <fieldset aria-describedby=move || choice_error.get().map(|_| "choice-error")>
                    <legend class="field-label">{tf.choose}</legend>
                    {[("password", tf.password_unknown), ("id", tf.id_unknown)].into_iter().map(|(value, label)| view! {
                        <label class="flex min-h-11 cursor-pointer items-center gap-2">
                            <input type="radio" name="choice" value=value class="h-5 w-5"/>
                            {label}
                        </label>
                    }).collect_view()}
                </fieldset>
                {move || choice_error.get().map(|m| view! {
                    <p id="choice-error" class="text-sm font-bold text-red-700">{m}</p>
                })}
                <Submit label=tx.next/>
            </ActionForm>
        </section>
    }
}

/// `/recovery/identify`: 本人認証.
#[component]
pub fn RecoveryIdentifyPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<StartRecovery>::new();
    let error = form_error();
    view! {
        <h1 class="page-title">{tf.title}</h1>
        <section class="card max-w-2xl">
            <h2 class="card-title">{tf.identify}</h2>
            <p class="mb-4">{tf.identify_lead}</p>
            <FormAlert error=error/>
            <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                <Field id="itscom_id" label=tx.itscom_id_label input_type="email" autocomplete="username"
                    inputmode="email" maxlength="100" error=field_error(tx, error, "itscom_id")/>
                <Submit label=tx.next/>
            </ActionForm>
        </section>
    }
}

/// `/recovery/code`: 認証コード入力.
#[component]
pub fn RecoveryCodePage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<VerifyRecoveryCode>::new();
    let error = form_error();
    view! {
        <StepCard heading=tf.title title=tf.code_title step=RecoveryStep::Code restart=routes::IDENTIFY current=Resource::new(|| (), |_| recovery_step())>
            <p class="mb-4 leading-relaxed">{tf.code_lead}</p>
            <FormAlert error=error/>
            <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                <Field id="code" label=tf.code_label inputmode="numeric" autocomplete="one-time-code"
                    maxlength="20" error=field_error(tx, error, "code")/>
                <Submit label=tx.next/>
            </ActionForm>
            <p class="mt-6 text-sm leading-relaxed text-slate-700">
                {tf.cannot_receive}{crate::i18n::sentence_gap(tx)}<a class="link" href=crate::features::registration::routes::START>{tx.register_link}</a>
            </p>
        </StepCard>
    }
}

/// The new password and its repeat, with the 確認 button (both paths).
#[component]
fn NewPasswordForm() -> impl IntoView {
    let tx = t();
    let action = ServerAction::<SetRecoveredPassword>::new();
    let error = form_error();
    view! {
        <FormAlert error=error/>
        <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
            <Field id="password" label=tx.password_label hint=tx.reg_password_hint input_type="password"
                autocomplete="new-password" maxlength="128" error=field_error(tx, error, "password")/>
            <Field id="password_again" label=tx.password_again input_type="password"
                autocomplete="new-password" maxlength="128" error=field_error(tx, error, "password_again")/>
            <Submit label=tx.confirm/>
        </ActionForm>
    }
}

/// `/recovery/password`: the new password (path B).
#[component]
pub fn RecoveryPasswordPage() -> impl IntoView {
    let tf = super::texts::t();
    view! {
        <StepCard heading=tf.title title=tf.password_title step=RecoveryStep::Password restart=routes::IDENTIFY current=Resource::new(|| (), |_| recovery_step())>
            <p class="mb-4">{tf.password_lead}</p>
            <NewPasswordForm/>
        </StepCard>
    }
}

/// `秘密の質問` (a select of the fixed list) and `答え`, with their errors.
#[component]
fn QuestionAndAnswer(error: Signal<Option<AppError>>) -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let question_error = field_error(tx, error, "question");
    view! {
        <div>
            <label for="question" class="field-label">{tf.question_label}</label>
            <select id="question" name="question" class="field-input" required
                aria-invalid=move || question_error.get().map(|_| "true")
                aria-describedby=move || question_error.get().map(|_| "question-error")>
                <option value="">{tf.question_placeholder}</option>
                {SecretQuestion::ALL.into_iter().map(|q| view! {
                    <option value=q.code()>{question_text(tx, q)}</option>
                }).collect_view()}
            </select>
            {move || question_error.get().map(|m| view! {
                <p id="question-error" class="mt-1 text-sm font-bold text-red-700">{m}</p>
            })}
        </div>
        <Field id="answer" label=tf.answer_label hint=tf.answer_hint autocomplete="off"
            maxlength=ANSWER_MAX_STR error=field_error(tx, error, "answer")/>
    }
}

/// The browser's bound on the answer (`browser_maxlength`): 50 characters of any plane
/// and a 51st, which reaches the rule's message.
const ANSWER_MAX_STR: &str = "102";
const _: () = assert!(
    crate::domain::normalize::browser_maxlength(ANSWER_MAX) == 102,
    "keep the maxlength attribute in step with the rule"
);

/// `/recovery/question`: 合言葉登録 (path A, step 1).
#[component]
pub fn RecoveryQuestionPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<SubmitRecoveryQuestion>::new();
    let error = form_error();
    view! {
        <StepCard heading=tf.title title=tf.question_title step=RecoveryStep::Question restart=routes::IDENTIFY current=Resource::new(|| (), |_| recovery_step())>
            <p class="mb-4 leading-relaxed">{tf.question_lead}</p>
            <FormAlert error=error/>
            <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                <QuestionAndAnswer error=error/>
                <Submit label=tx.next/>
            </ActionForm>
        </StepCard>
    }
}

/// `/recovery/sent`: 本人認証 完了 (path A, step 2).
#[component]
pub fn RecoverySentPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    view! {
        <StepCard heading=tf.title title=tf.sent_title step=RecoveryStep::Mailed restart=routes::IDENTIFY current=Resource::new(|| (), |_| recovery_step())>
            <p class="mb-4 leading-relaxed" data-testid="recovery-sent">{tf.sent_body}</p>
            <p class="text-sm text-slate-600">{tf.sent_note}</p>
            <p class="mt-4"><a class="link link-action" href=super::routes::START>{tx.start_over}</a></p>
        </StepCard>
    }
}

/// `/recovery/verify?token=…`: the mailed link asks the question and answer again
/// (path A, step 3); `ID・パスワード再発行`.
#[component]
pub fn RecoveryVerifyPage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let action = ServerAction::<VerifyRecoveryAnswer>::new();
    let error = form_error();
    view! {
        <LinkPage title=tf.title load=recovery_link_status restart=(routes::START, tx.start_over) children=move |(), token| view! {
            <h2 class="card-title">{tf.identify}</h2>
            <p class="mb-2 leading-relaxed">{tf.verify_lead}</p>
            <p class="mb-4 text-sm text-slate-600">{tf.answers_left}</p>
            <FormAlert error=error/>
            <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                <input type="hidden" name="token" value=token/>
                <QuestionAndAnswer error=error/>
                <Submit label=tf.reissue/>
            </ActionForm>
        }/>
    }
}

/// `/recovery/reissue`: ID・パスワード再発行 (path A, step 4): the ID, a new password.
#[component]
pub fn RecoveryReissuePage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    let identity = Resource::new(|| (), |_| recovery_identity());
    view! {
        <StepCard heading=tf.title title=tf.reissue step=RecoveryStep::Password restart=routes::IDENTIFY current=Resource::new(|| (), |_| recovery_step())>
            <p class="mb-4">{tf.reissue_lead}</p>
            <dl class="summary mb-4">
                <dt class="font-bold">{tx.itscom_id_label}</dt>
                <dd data-testid="reissued-id" class="break-all">
                    <Suspense fallback=|| "…">
                        {move || identity.get().map(|r| r.unwrap_or_default())}
                    </Suspense>
                </dd>
            </dl>
            <NewPasswordForm/>
        </StepCard>
    }
}

/// `/recovery/done`.
#[component]
pub fn RecoveryDonePage() -> impl IntoView {
    let tx = t();
    let tf = super::texts::t();
    view! {
        <Outcome heading=tf.title title=tx.reg_done testid="recovery-done" to=(LOGIN, tx.to_login)>
            {tf.done_body}
        </Outcome>
    }
}
