//! The organisation directory: users by authority, organizations by type, organization and
//! department details.

use finchat_cui::Fcid;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::received::IdList;
use super::segment;
use crate::client::Call;
use crate::{Client, Error};

const USERS_BY_AUTHORITY: &str = "/api/v1/finchat/open-api/contact/get-users-by-authority";
const ORGANIZATIONS_BY_TYPE: &str = "/api/v1/finchat/open-api/contact/get-organizations-by-type";
const ORGANIZATIONS: &str = "/api/v1/finchat/open-api/contact/organizations";
const DEPARTMENTS: &str = "/api/v1/finchat/open-api/contact/departments";

/// The directory calls: `client.contacts()`.
#[derive(Clone, Copy)]
pub struct Contacts<'a> {
    client: &'a Client,
}

impl Client {
    /// Reading the organisation directory: users, organizations, departments.
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts { client: self }
    }
}

impl<'a> Contacts<'a> {
    /// The users who hold the authority `authority_name`
    /// (`GET …/contact/get-users-by-authority?authority_name=&app_id=`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let approvers = client.contacts().users_by_authority("expense-approver").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// An id that is not a valid fcid does not fail the call: it is left out of the list, kept
    /// in [`IdList::unparsed`] and logged at `warn`.
    ///
    /// # Errors
    ///
    /// An [`Error`]: the API's refusal (`FC_FORBIDDEN`, `FC_INVALID_ACCESS_TOKEN`, …) or a
    /// transport, time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn users_by_authority(&self, authority_name: &str) -> Result<IdList<Fcid>, Error> {
        let call = Call::new(Method::GET, USERS_BY_AUTHORITY)
            .query("authority_name", authority_name)
            .query("app_id", self.client.app_id());
        self.client.call_json(call).await
    }

    /// The organizations of type `organization_type` that `fcid` sees
    /// (`GET …/contact/get-organizations-by-type?app_id=&fcid=&organization_type=`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let alice = "@alice:example.org".parse().unwrap();
    /// for org in client.contacts().organizations_by_type(&alice, 3).await? {
    ///     println!("{} {}", org.organization_id, org.organization_name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`]: the API's refusal (`FC_FCID_NOT_FOUND`, `FC_FORBIDDEN`, …) or a transport,
    /// time-out or unreadable-answer failure; see [`Error::class`].
    pub async fn organizations_by_type(
        &self,
        fcid: &Fcid,
        organization_type: i64,
    ) -> Result<Vec<Organization>, Error> {
        let call = Call::new(Method::GET, ORGANIZATIONS_BY_TYPE)
            .query("app_id", self.client.app_id())
            .query("fcid", fcid.as_str())
            .query("organization_type", organization_type.to_string());
        self.client.call_json(call).await
    }

    /// One organization (`GET …/contact/organizations/{organization_id}?app_id=`).
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let org = client.contacts().organization("55c22c00-09e9-11ea-ab7d-a15ba0c1027b").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` for an empty, `.` or `..` id (nothing is sent); else the API's
    /// refusal (`FC_NOT_FOUND`, `FC_FORBIDDEN`, …) or a transport, time-out or unreadable-answer
    /// failure; see [`Error::class`].
    pub async fn organization(&self, organization_id: &str) -> Result<Organization, Error> {
        let call = Call::new(
            Method::GET,
            format!("{ORGANIZATIONS}/{}", segment(organization_id)?),
        )
        .query("app_id", self.client.app_id());
        self.client.call_json(call).await
    }

    /// One department, its sub-departments and members
    /// (`GET …/contact/departments/{department_id}?app_id=&include_sub_departments=`); choose
    /// whether the members of sub-departments are included, then `.send()`.
    ///
    /// ```no_run
    /// # async fn demo(client: finchat_client::Client) -> Result<(), finchat_client::Error> {
    /// let department = client
    ///     .contacts()
    ///     .department("55c22c00-09e9-11ea-ab7d-a15ba0c1027b")
    ///     .include_sub_departments(true)
    ///     .send()
    ///     .await?;
    /// println!("{} members", department.fcids.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn department(&self, department_id: impl Into<String>) -> DepartmentRequest<'a> {
        DepartmentRequest {
            client: self.client,
            department_id: department_id.into(),
            include_sub_departments: false,
        }
    }
}

/// A department read; see [`Contacts::department`].
#[must_use = "nothing is sent until `.send().await`"]
pub struct DepartmentRequest<'a> {
    client: &'a Client,
    department_id: String,
    include_sub_departments: bool,
}

impl DepartmentRequest<'_> {
    /// Whether `fcids` also holds the members of the sub-departments (default: no).
    pub fn include_sub_departments(mut self, include: bool) -> Self {
        self.include_sub_departments = include;
        self
    }

    /// Reads the department.
    ///
    /// # Errors
    ///
    /// An [`Error`] of class `Local` for an empty, `.` or `..` id (nothing is sent); else the API's
    /// refusal (`FC_NOT_FOUND`, `FC_FORBIDDEN`, …) or a transport, time-out or unreadable-answer
    /// failure; see [`Error::class`].
    pub async fn send(self) -> Result<Department, Error> {
        // The parameter table spells it `include_sub_deparments`; the request address, which the
        // server routes on, spells it right, and that is what is sent.
        let call = Call::new(
            Method::GET,
            format!("{DEPARTMENTS}/{}", segment(&self.department_id)?),
        )
        .query("app_id", self.client.app_id())
        .query(
            "include_sub_departments",
            self.include_sub_departments.to_string(),
        );
        self.client.call_json(call).await
    }
}

/// An organization of the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Organization {
    /// Its id.
    pub organization_id: String,
    /// Its name.
    #[serde(default)]
    pub organization_name: String,
    /// Its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_type: Option<i64>,
    /// The ids of the dispatch and supervision organizations it belongs to.
    #[serde(default)]
    pub dispatch_supervision_organizations: Vec<String>,
    /// Other fields of the answer, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A department of the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Department {
    /// Its id.
    pub department_id: String,
    /// Its name.
    #[serde(default)]
    pub department_name: String,
    /// The id of the department above it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_department: Option<String>,
    /// The ids of the departments below it.
    #[serde(default)]
    pub sub_departments: Vec<String>,
    /// Its members (with those of the sub-departments when asked for); an id that is not a valid
    /// fcid is kept raw in [`IdList::unparsed`].
    #[serde(default)]
    pub fcids: IdList<Fcid>,
    /// Other fields of the answer, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
