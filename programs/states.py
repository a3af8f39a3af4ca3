"""US states, DC and territories by USPS code, with their US Census region."""

from django.db import models


class Region(models.TextChoices):
    NORTHEAST = "northeast", "Northeast"
    MIDWEST = "midwest", "Midwest"
    SOUTH = "south", "South"
    WEST = "west", "West"
    TERRITORIES = "territories", "Territories"


class State(models.TextChoices):
    AL = "AL", "Alabama"
    AK = "AK", "Alaska"
    AZ = "AZ", "Arizona"
    AR = "AR", "Arkansas"
    CA = "CA", "California"
    CO = "CO", "Colorado"
    CT = "CT", "Connecticut"
    DE = "DE", "Delaware"
    DC = "DC", "District of Columbia"
    FL = "FL", "Florida"
    GA = "GA", "Georgia"
    HI = "HI", "Hawaii"
    ID = "ID", "Idaho"
    IL = "IL", "Illinois"
    IN = "IN", "Indiana"
    IA = "IA", "Iowa"
    KS = "KS", "Kansas"
    KY = "KY", "Kentucky"
    LA = "LA", "Louisiana"
    ME = "ME", "Maine"
    MD = "MD", "Maryland"
    MA = "MA", "Massachusetts"
    MI = "MI", "Michigan"
    MN = "MN", "Minnesota"
    MS = "MS", "Mississippi"
    MO = "MO", "Missouri"
    MT = "MT", "Montana"
    NE = "NE", "Nebraska"
    NV = "NV", "Nevada"
    NH = "NH", "New Hampshire"
    NJ = "NJ", "New Jersey"
    NM = "NM", "New Mexico"
    NY = "NY", "New York"
    NC = "NC", "North Carolina"
    ND = "ND", "North Dakota"
    OH = "OH", "Ohio"
    OK = "OK", "Oklahoma"
    OR = "OR", "Oregon"
    PA = "PA", "Pennsylvania"
    RI = "RI", "Rhode Island"
    SC = "SC", "South Carolina"
    SD = "SD", "South Dakota"
    TN = "TN", "Tennessee"
    TX = "TX", "Texas"
    UT = "UT", "Utah"
    VT = "VT", "Vermont"
    VA = "VA", "Virginia"
    WA = "WA", "Washington"
    WV = "WV", "West Virginia"
    WI = "WI", "Wisconsin"
    WY = "WY", "Wyoming"
    PR = "PR", "Puerto Rico"
    GU = "GU", "Guam"
    VI = "VI", "U.S. Virgin Islands"
    AS = "AS", "American Samoa"
    MP = "MP", "Northern Mariana Islands"


_REGION_STATES = {
    Region.NORTHEAST: "CT ME MA NH RI VT NJ NY PA",
    Region.MIDWEST: "IL IN MI OH WI IA KS MN MO NE ND SD",
    Region.SOUTH: "DE FL GA MD NC SC VA DC WV AL KY MS TN AR LA OK TX",
    Region.WEST: "AZ CO ID MT NV NM UT WY AK CA HI OR WA",
    Region.TERRITORIES: "PR GU VI AS MP",
}
REGION_OF_STATE = {
    code: region for region, codes in _REGION_STATES.items() for code in codes.split()
}
STATES_IN_REGION = {region: codes.split() for region, codes in _REGION_STATES.items()}
STATE_BY_NAME = {label.lower(): code for code, label in State.choices}
