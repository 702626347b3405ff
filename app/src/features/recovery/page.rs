use super::api::{recovery_step, ChooseRecovery, SetRecoveredPassword, StartRecovery, VerifyRecoveryCode};
use crate::components::form::{
    field_error, form_error, go_on_success, Field, FormAlert, RequireStep, Submit,
};
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn RecoveryChoicePage() -> impl IntoView {
    let tx = t();
    let action = ServerAction::<ChooseRecovery>::new();
    go_on_success(action);
    let error = form_error(action);
    let choice_error = field_error(tx, error, "choice");
    view! {
        <h1 class="page-title">{tx.rec_title}</h1>
        <section class="card max-w-2xl">
            <ActionForm action=action attr:class="space-y-4">
                <fieldset aria-describedby=move || choice_error.get().map(|_| "choice-error")>
                    <legend class="field-label">{tx.rec_choose}</legend>
                    {[("password", tx.rec_password_unknown), ("id", tx.rec_id_unknown)].into_iter().map(|(value, label)| view! {
                        <label class="flex min-h-11 cursor-pointer items-center gap-2">
                            <input type="radio" name="choice" value=value class="h-5 w-5"/>
                            {label}
                        </label>
                    }).collect_view()}
                </fieldset>
                {move || choice_error.get().map(|m| view! {
                    <p id="choice-error" class="text-sm font-bold text-red-700">{m}</p>
                })}
                <Submit pending=action.pending() label=tx.next/>
            </ActionForm>
        </section>
    }
}

/// `/recovery/identify`: 本人認証.
#[component]
pub fn RecoveryIdentifyPage() -> impl IntoView {
    let tx = t();
    let action = ServerAction::<StartRecovery>::new();
    go_on_success(action);
    let error = form_error(action);
    view! {
        <h1 class="page-title">{tx.rec_title}</h1>
        <section class="card max-w-2xl">
            <h2 class="card-title">{tx.rec_identify}</h2>
            <p class="mb-4">{tx.rec_identify_lead}</p>
            <FormAlert error=error/>
            <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                <Field id="itscom_id" label=tx.itscom_id_label input_type="email" autocomplete="username"
                    inputmode="email" maxlength="100" error=field_error(tx, error, "itscom_id")/>
                <Submit pending=action.pending() label=tx.next/>
            </ActionForm>
        </section>
    }
}

/// `/recovery/code`: 認証コード入力.
#[component]
pub fn RecoveryCodePage() -> impl IntoView {
    let tx = t();
    let action = ServerAction::<VerifyRecoveryCode>::new();
    go_on_success(action);
    let error = form_error(action);
    view! {
        <h1 class="page-title">{tx.rec_title}</h1>
        <RequireStep restart="/recovery/identify" fetch=recovery_step step="code">
            <section class="card max-w-2xl">
                <h2 class="card-title">{tx.rec_code_title}</h2>
                <p class="mb-4 leading-relaxed">{tx.rec_code_lead}</p>
                <FormAlert error=error/>
                <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                    <Field id="code" label=tx.rec_code_label inputmode="numeric" autocomplete="one-time-code"
                        maxlength="6" error=field_error(tx, error, "code")/>
                    <Submit pending=action.pending() label=tx.next/>
                </ActionForm>
                <p class="mt-6 text-sm leading-relaxed text-slate-700">
                    {tx.rec_cannot_receive} " " <a class="link" href="/register">{tx.register_link}</a>
                </p>
            </section>
        </RequireStep>
    }
}

/// `/recovery/password`: the new password.
#[component]
pub fn RecoveryPasswordPage() -> impl IntoView {
    let tx = t();
    let action = ServerAction::<SetRecoveredPassword>::new();
    go_on_success(action);
    let error = form_error(action);
    view! {
        <h1 class="page-title">{tx.rec_title}</h1>
        <RequireStep restart="/recovery/identify" fetch=recovery_step step="password">
            <section class="card max-w-2xl">
                <h2 class="card-title">{tx.rec_password_title}</h2>
                <p class="mb-4">{tx.rec_password_lead}</p>
                <FormAlert error=error/>
                <ActionForm action=action attr:class="space-y-4" attr:novalidate="">
                    <Field id="password" label=tx.password_label hint=tx.reg_password_hint input_type="password"
                        autocomplete="new-password" maxlength="32" error=field_error(tx, error, "password")/>
                    <Field id="password_again" label=tx.password_again input_type="password"
                        autocomplete="new-password" maxlength="32" error=field_error(tx, error, "password_again")/>
                    <Submit pending=action.pending() label=tx.confirm/>
                </ActionForm>
            </section>
        </RequireStep>
    }
}

/// `/recovery/done`.
#[component]
pub fn RecoveryDonePage() -> impl IntoView {
    let tx = t();
    view! {
        <h1 class="page-title">{tx.rec_title}</h1>
        <section class="card max-w-2xl">
            <h2 class="card-title">{tx.reg_done}</h2>
            <p class="mb-4" data-testid="recovery-done">{tx.rec_done_body}</p>
            <a class="btn" href="/login">{tx.to_login}</a>
        </section>
    }
}
